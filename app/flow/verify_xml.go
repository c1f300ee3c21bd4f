package flow

import (
	"context"
	"fmt"
	"os"

	"github.com/mynasign/mynasign/trust"
	"github.com/mynasign/mynasign/xades"
)

// egovVerifier is "egov", recognized by content: an e-Gov package (a folder or a zip
// holding a kousei.xml that is an e-Gov 構成管理XML, or that kousei.xml itself). It comes
// before "xml" in Verifiers.
func egovVerifier() Verifier {
	return Verifier{
		Name:   "egov",
		Detect: func(path string, _ []byte) bool { return xades.IsEGovPackage(path) },
		Verify: func(_ context.Context, path string, policy *trust.Policy) (*trust.DocumentReport, error) {
			if _, err := os.Stat(path); err != nil {
				return nil, err
			}
			return xades.VerifyEGov(path, policy), nil
		},
	}
}

// xmlVerifier is "xml": any other XML document (XAdES or plain XMLDSig).
func xmlVerifier() Verifier {
	return Verifier{
		Name:   "xml",
		Detect: func(_ string, head []byte) bool { return head != nil && xades.LooksLikeXML(head) },
		Verify: verifyXML,
		Memory: xmlMemory,
	}
}

// xmlMemory is what verifying the XML file at path costs: its parsed tree grows with its
// markup, up to tens of times its size for tiny elements (xades.VerifyMemory).
func xmlMemory(path string, size int64) int64 {
	if size > xades.MaxXMLSize {
		return 0 // refused unread
	}
	f, err := os.Open(path)
	if err != nil {
		return size
	}
	defer f.Close()
	n, err := xades.VerifyMemory(f)
	if err != nil {
		return size
	}
	return n
}

func verifyXML(_ context.Context, path string, policy *trust.Policy) (*trust.DocumentReport, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Size() > xades.MaxXMLSize {
		rep := &trust.DocumentReport{File: path, Kind: "xml", Signatures: []trust.SignatureReport{},
			Error: &trust.Message{Key: xades.MsgDocTooLarge, Args: []string{fmt.Sprint(xades.MaxXMLSize >> 20)}}}
		if policy != nil {
			rep.TrustStore, rep.ValidationTime = policy.TrustStore(), policy.ValidationTime()
		}
		trust.Summarize(rep)
		return rep, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return xades.VerifyFile(path, data, policy), nil
}
