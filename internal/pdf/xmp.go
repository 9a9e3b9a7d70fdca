package pdf

import (
	"bytes"
	"encoding/xml"
	"strings"
	"time"

	"github.com/yttrande/remiss/workflow/documents"
)

// xmp is the document's XMP metadata packet: the same title, author,
// subject, keywords, producer and dates as the document information
// dictionary (PDF/A wants them equal), the language, and the standards
// the file declares: PDF/UA-1 and PDF/A-2 level A. It is built from the
// layout alone, so that it is the same at every render.
func xmp(m documents.LayoutMeta) []byte {
	date := created(m).Format(time.RFC3339) // with the zone, which the information dictionary cannot give
	var b bytes.Buffer
	b.WriteString("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/">` + "\n")
	b.WriteString(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` + "\n")
	b.WriteString(`<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"` +
		` xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"` +
		` xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">` + "\n")
	// The file declares PDF/UA-1 (ISO 14289-1) and PDF/A-2a (ISO 19005-2).
	b.WriteString("<pdfuaid:part>1</pdfuaid:part>\n")
	b.WriteString("<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>A</pdfaid:conformance>\n")
	b.WriteString("<dc:format>application/pdf</dc:format>\n")
	element(&b, "dc:title", "Alt", m.Title)
	element(&b, "dc:creator", "Seq", m.Author)
	element(&b, "dc:description", "Alt", m.Subject)
	element(&b, "dc:language", "Bag", lang(m))
	simple(&b, "pdf:Keywords", strings.Join(m.Keywords, ", "))
	simple(&b, "pdf:Producer", producer)
	simple(&b, "xmp:CreatorTool", creator)
	simple(&b, "xmp:CreateDate", date)
	simple(&b, "xmp:ModifyDate", date)
	simple(&b, "xmp:MetadataDate", date)
	b.WriteString("</rdf:Description>\n")
	b.WriteString(pdfuaSchema)
	b.WriteString("</rdf:RDF>\n</x:xmpmeta>\n")
	b.WriteString(`<?xpacket end="r"?>`)
	return b.Bytes()
}

// element writes an XMP array property (an Alt in the default language,
// a Seq or a Bag) of one item; an empty value is left out.
func element(b *bytes.Buffer, name, kind, value string) {
	if value == "" {
		return
	}
	lang := ""
	if kind == "Alt" {
		lang = ` xml:lang="x-default"`
	}
	b.WriteString("<" + name + "><rdf:" + kind + "><rdf:li" + lang + ">")
	xml.EscapeText(b, []byte(value))
	b.WriteString("</rdf:li></rdf:" + kind + "></" + name + ">\n")
}

// simple writes an XMP text property; an empty value is left out.
func simple(b *bytes.Buffer, name, value string) {
	if value == "" {
		return
	}
	b.WriteString("<" + name + ">")
	xml.EscapeText(b, []byte(value))
	b.WriteString("</" + name + ">\n")
}

// pdfuaSchema declares the pdfuaid schema to PDF/A, which accepts in XMP
// only the schemas of XMP 2005 and those the file describes (ISO 19005-2,
// 6.6.2.3.2): its namespace, prefix and the one property, part.
const pdfuaSchema = `<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"` +
	` xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
`
