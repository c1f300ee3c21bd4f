package cli

// commands lists every subcommand, sorted by name (the order of the usage text); each
// command's code lives in its own file. lookup picks the longest name that prefixes the
// arguments, so "crl import" and a hypothetical "crl" could coexist.
var commands = []command{
	{name: "card status", summary: "list readers and cards, with the tries left of each PIN (spends none)", run: runCardStatus},
	{name: "crl import", summary: "import CRL files (DER/PEM), folders or zips into the local CRL store", run: runCRLImport},
	{name: "crl list", summary: "list the CRLs in the local store and their freshness", run: runCRLList},
	{name: "crl remove", summary: "remove one CRL (by the ID crl list shows) from the local store", run: runCRLRemove},
	{name: "extend", summary: "add a document time-stamp to PDFs (renews a B-LTA archive; 電子帳簿保存) from --tsa; no card", run: runExtend},
	{name: "idcheck", summary: "本人確認: check the card's authentication certificate and PIN (--age N, --address-prefix P, --with-basic-info), offline", run: runIDCheck},
	{name: "sign", summary: "sign files with the My Number Card (PDF: pades, registry; XML: xades, egov)", run: runSign},
	{name: "testcard serve", summary: "attach the software test card to a vpcd virtual reader until interrupted", run: runTestcardServe},
	{name: "trust add", summary: "trust CA certificates (DER/PEM) besides the J-LIS CAs: --purpose signing|timestamp, --name", run: runTrustAdd},
	{name: "trust list", summary: "list the trusted CAs: built in (J-LIS) and added by you", run: runTrustList},
	{name: "trust remove", summary: "remove a CA you added (by the ID trust list shows)", run: runTrustRemove},
	{name: "verify", summary: "verify the signatures of files, folders and zips (PDF, XML, e-Gov)", run: runVerify},
}
