// Sign is the PDFBox/BouncyCastle peer of the PDF tests (pdf/peermade_test.go): it signs
// a PDF with PDFBox's incremental signing and a detached CMS SignedData made by
// BouncyCastle's CMSSignedDataGenerator, as Java signers built on these libraries do.
//
//	java -cp CLASSPATH Sign PASSWORD KEY.p12 MODE SUBFILTER IN.pdf OUT.pdf [KEY.p12 MODE SUBFILTER IN.pdf OUT.pdf]...
//
// Each group of five arguments signs one file (one JVM start for all of them). KEY.p12
// holds one key (RSA or EC, signed with SHA-256) with its certificate chain, protected
// by PASSWORD; every certificate of the chain goes into the CMS. MODE is "ber"
// (CMSSignedData.getEncoded(): BER with indefinite lengths, what the signers that call
// getEncoded() embed) or "der" (the same structure re-encoded in DER), with "-ski" to
// identify the signer by subjectKeyIdentifier instead of issuer and serial number.
// SUBFILTER is adbe.pkcs7.detached or ETSI.CAdES.detached.
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
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
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
	private final boolean ski;

	private Sign(PrivateKey key, Certificate[] chain, boolean ber, boolean ski) {
		this.key = key;
		this.chain = chain;
		this.ber = ber;
		this.ski = ski;
	}

	public static void main(String[] args) throws Exception {
		if (args.length < 6 || (args.length - 1) % 5 != 0) {
			System.err.println("usage: Sign PASSWORD KEY.p12 ber|der[-ski] SUBFILTER IN.pdf OUT.pdf [KEY.p12 MODE SUBFILTER IN.pdf OUT.pdf]...");
			System.exit(2);
		}
		char[] pass = args[0].toCharArray();
		for (int i = 1; i < args.length; i += 5) {
			String mode = args[i + 1];
			if (!mode.matches("(ber|der)(-ski)?")) {
				throw new IllegalArgumentException("mode " + mode + ": want ber or der, optionally with -ski");
			}
			KeyStore ks = KeyStore.getInstance("PKCS12");
			try (InputStream in = new FileInputStream(args[i])) {
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
				throw new IOException(args[i] + ": no key entry");
			}
			Sign signer = new Sign((PrivateKey) ks.getKey(alias, pass), ks.getCertificateChain(alias),
					mode.startsWith("ber"), mode.endsWith("-ski"));
			sign(signer, args[i + 2], new File(args[i + 3]), new File(args[i + 4]));
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
			String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
			ContentSigner cs = new JcaContentSignerBuilder(alg).build(key);
			X509Certificate cert = (X509Certificate) chain[0];
			JcaSignerInfoGeneratorBuilder sib = new JcaSignerInfoGeneratorBuilder(
					new JcaDigestCalculatorProviderBuilder().build());
			if (ski) {
				byte[] id = SubjectKeyIdentifier.fromExtensions(new JcaX509CertificateHolder(cert).getExtensions())
						.getKeyIdentifier();
				gen.addSignerInfoGenerator(sib.build(cs, id));
			} else {
				gen.addSignerInfoGenerator(sib.build(cs, cert));
			}
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
