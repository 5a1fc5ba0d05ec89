// An independent check of Credence's credentials: Digital Bazaar's Data Integrity libraries verify an
// eddsa-rdfc-2022 proof offline. The document loader serves only Credence's bundled contexts (the same
// files the Python side uses) and the issuer documents given in the input; anything else is refused.
//
// Input (standard input): {"credential": {...}, "documents": {"<url or DID>": {...}}}
// Output (standard output): {"verified": true|false, "error": "..."}
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import jsigs from 'jsonld-signatures';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

const here = path.dirname(fileURLToPath(import.meta.url));
const contextsDir = path.resolve(here, '../../../src/credence/issuance/contexts');
const CONTEXT_FILES = {
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': 'ob-v3p0-context-3.0.3.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json': 'ob-v3p0-extensions.json',
  'https://w3id.org/security/data-integrity/v2': 'data-integrity-v2.json',
  'https://w3id.org/security/multikey/v1': 'multikey-v1.json',
  'https://www.w3.org/ns/did/v1': 'did-v1.json',
};

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const documents = input.documents || {};

async function documentLoader(url) {
  if (CONTEXT_FILES[url]) {
    const document = JSON.parse(fs.readFileSync(path.join(contextsDir, CONTEXT_FILES[url]), 'utf8'));
    return {contextUrl: null, documentUrl: url, document};
  }
  if (documents[url]) {
    return {contextUrl: null, documentUrl: url, document: documents[url]};
  }
  throw new Error(`refused to load ${url}: not bundled`);
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
const {AssertionProofPurpose} = jsigs.purposes;
try {
  const result = await jsigs.verify(input.credential, {
    suite,
    purpose: new AssertionProofPurpose(),
    documentLoader,
  });
  const error = result.error ? (result.error.errors || [result.error]).map(e => e.message).join('; ') : '';
  process.stdout.write(JSON.stringify({verified: result.verified, error}));
} catch (e) {
  process.stdout.write(JSON.stringify({verified: false, error: String(e && e.message || e)}));
}
