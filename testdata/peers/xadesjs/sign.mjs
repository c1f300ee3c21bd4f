// Test peer for mynasign: signs an XML document as XAdES-BES (enveloped) with xadesjs.
//
//   node sign.mjs ALG KEY.pk8.der CERT.der IN.xml OUT.xml
//
// ALG is rsa-sha256, rsa-pss-sha256 or ecdsa-p256-sha256; the key is PKCS #8 DER, the
// certificate DER. Used by xades/peers_test.go; nothing here is part of mynasign.
import { readFileSync, writeFileSync } from 'node:fs';
import * as xmldom from '@xmldom/xmldom';
import xpath from 'xpath';
import * as xadesjs from 'xadesjs';

// Node.js 19+ has globalThis.crypto; Debian 12's Node.js 18 has it under node:crypto.
const webcrypto = globalThis.crypto ?? (await import('node:crypto')).webcrypto;
xadesjs.Application.setEngine('NodeJS', webcrypto);
xadesjs.setNodeDependencies({
  XMLSerializer: xmldom.XMLSerializer,
  DOMParser: xmldom.DOMParser,
  DOMImplementation: xmldom.DOMImplementation,
  xpath,
});

const [alg, keyFile, certFile, inFile, outFile] = process.argv.slice(2);
const algorithms = {
  'rsa-sha256': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  'rsa-pss-sha256': { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 },
  'ecdsa-p256-sha256': { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
};
const algorithm = algorithms[alg];
if (!algorithm) {
  console.error(`unknown algorithm ${alg}`);
  process.exit(2);
}
const key = await webcrypto.subtle.importKey('pkcs8', readFileSync(keyFile), algorithm, false, ['sign']);
const cert = readFileSync(certFile).toString('base64');
const doc = xadesjs.Parse(readFileSync(inFile, 'utf8'));
const signed = new xadesjs.SignedXml();
const signature = await signed.Sign(
  { ...algorithm, hash: { name: algorithm.hash } },
  key,
  doc,
  {
    x509: [cert],
    signingCertificate: cert,
    signingTime: { value: new Date() },
    references: [{ uri: '', hash: 'SHA-256', transforms: ['enveloped', 'exc-c14n'] }],
  },
);
doc.documentElement.appendChild(signature.GetXml());
writeFileSync(outFile, new xmldom.XMLSerializer().serializeToString(doc));
