module github.com/mynasign/mynasign

go 1.26.0

require (
	fyne.io/fyne/v2 v2.7.4 // indirect
	github.com/beevik/etree v1.8.1 // indirect
	github.com/digitorus/pkcs7 v0.0.0-20250730155240-ffadbf3f398c // indirect
	github.com/digitorus/timestamp v0.0.0-20231217203849-220c5c2851b7 // indirect
	github.com/jonboulle/clockwork v0.5.0 // indirect
	github.com/pdfcpu/pdfcpu v0.15.0 // indirect
	github.com/russellhaering/goxmldsig v1.6.1 // indirect
	github.com/sirupsen/logrus v1.10.2 // indirect
	golang.org/x/crypto v0.59.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
