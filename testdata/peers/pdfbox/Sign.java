// Sign is the PDFBox/BouncyCastle peer of the PDF tests (pdf/peermade_test.go): it signs
// a PDF with PDFBox's incremental signing and a detached CMS SignedData made by
// BouncyCastle's CMSSignedDataGenerator, as Java signers built on these libraries do.
//
//	java -cp CLASSPATH Sign KEY.p12 PASSWORD ENCODING SUBFILTER IN.pdf OUT.pdf [ENCODING SUBFILTER IN.pdf OUT.pdf]...
//
// Each group of four arguments signs one file (one JVM start for all of them).
// ENCODING is "ber" (CMSSignedData.getEncoded(): BER with indefinite lengths, what the
// signers that call getEncoded() embed) or "der" (the same structure re-encoded in DER).
// SUBFILTER is adbe.pkcs7.detached or ETSI.CAdES.detached. The PKCS#12 file holds one
// key with its certificate chain; every certificate of the chain goes into the CMS.
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Enumeration;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureInterface;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

public final class Sign implements SignatureInterface {
	private final PrivateKey key;
	private final Certificate[] chain;
	private final boolean ber;

	private Sign(PrivateKey key, Certificate[] chain, boolean ber) {
		this.key = key;
		this.chain = chain;
		this.ber = ber;
	}

	public static void main(String[] args) throws Exception {
		if (args.length < 6 || (args.length - 2) % 4 != 0) {
			System.err.println("usage: Sign KEY.p12 PASSWORD ber|der SUBFILTER IN.pdf OUT.pdf [ber|der SUBFILTER IN.pdf OUT.pdf]...");
			System.exit(2);
		}
		char[] pass = args[1].toCharArray();
		KeyStore ks = KeyStore.getInstance("PKCS12");
		try (InputStream in = new FileInputStream(args[0])) {
			ks.load(in, pass);
		}
		String alias = null;
		for (Enumeration<String> e = ks.aliases(); e.hasMoreElements();) {
			String a = e.nextElement();
			if (ks.isKeyEntry(a)) {
				alias = a;
				break;
			}
		}
		if (alias == null) {
			throw new IOException(args[0] + ": no key entry");
		}
		PrivateKey key = (PrivateKey) ks.getKey(alias, pass);
		Certificate[] chain = ks.getCertificateChain(alias);
		for (int i = 2; i < args.length; i += 4) {
			String enc = args[i];
			if (!enc.equals("ber") && !enc.equals("der")) {
				throw new IllegalArgumentException("encoding " + enc + ": want ber or der");
			}
			sign(new Sign(key, chain, enc.equals("ber")), args[i + 1], new File(args[i + 2]), new File(args[i + 3]));
		}
	}

	/** sign writes in, signed incrementally with one new signature field, to out. */
	private static void sign(Sign signer, String subFilter, File in, File out) throws IOException {
		try (PDDocument doc = PDDocument.load(in); OutputStream os = new FileOutputStream(out)) {
			PDSignature sig = new PDSignature();
			sig.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
			sig.setSubFilter(COSName.getPDFName(subFilter));
			sig.setReason("peer test");
			sig.setSignDate(Calendar.getInstance());
			doc.addSignature(sig, signer);
			doc.saveIncremental(os);
		}
	}

	@Override
	public byte[] sign(InputStream content) throws IOException {
		try {
			byte[] data = content.readAllBytes();
			CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
			ContentSigner cs = new JcaContentSignerBuilder("SHA256withRSA").build(key);
			gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
					new JcaDigestCalculatorProviderBuilder().build()).build(cs, (X509Certificate) chain[0]));
			gen.addCertificates(new JcaCertStore(Arrays.asList(chain)));
			CMSSignedData sd = gen.generate(new Bytes(data), false);
			return ber ? sd.getEncoded() : sd.toASN1Structure().getEncoded("DER");
		} catch (Exception e) {
			throw new IOException("CMS signing failed", e);
		}
	}

	/** Bytes is the signed byte ranges as the generator's content. */
	private static final class Bytes implements CMSTypedData {
		private final byte[] data;

		Bytes(byte[] data) {
			this.data = data;
		}

		@Override
		public ASN1ObjectIdentifier getContentType() {
			return CMSObjectIdentifiers.data;
		}

		@Override
		public void write(OutputStream out) throws IOException {
			out.write(data);
		}

		@Override
		public Object getContent() {
			return data;
		}
	}
}
