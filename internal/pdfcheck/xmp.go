package pdfcheck

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"
)

// Namespaces the checks read.
const (
	nsRDF      = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsXML      = "http://www.w3.org/XML/1998/namespace"
	nsDC       = "http://purl.org/dc/elements/1.1/"
	nsXMP      = "http://ns.adobe.com/xap/1.0/"
	nsPDF      = "http://ns.adobe.com/pdf/1.3/"
	nsPDFAID   = "http://www.aiim.org/pdfa/ns/id/"
	nsPDFUAID  = "http://www.aiim.org/pdfua/ns/id/"
	nsExt      = "http://www.aiim.org/pdfa/ns/extension/"
	nsSchema   = "http://www.aiim.org/pdfa/ns/schema#"
	nsProperty = "http://www.aiim.org/pdfa/ns/property#"
)

// predefined are the namespaces of the schemas XMP 2005 and PDF/A define,
// which need no extension schema.
var predefined = setOf(nsDC, nsXMP, nsPDF, nsPDFAID, nsExt, nsSchema, nsProperty,
	"http://ns.adobe.com/xap/1.0/rights/", "http://ns.adobe.com/xap/1.0/mm/", "http://ns.adobe.com/xmp/Identifier/qual/1.0/",
	"http://ns.adobe.com/xap/1.0/bj/", "http://ns.adobe.com/xap/1.0/t/pg/", "http://ns.adobe.com/xmp/1.0/DynamicMedia/",
	"http://ns.adobe.com/photoshop/1.0/", "http://ns.adobe.com/camera-raw-settings/1.0/", "http://ns.adobe.com/tiff/1.0/",
	"http://ns.adobe.com/exif/1.0/", "http://ns.adobe.com/exif/1.0/aux/", "http://ns.adobe.com/xap/1.0/t/",
	"http://ns.adobe.com/xap/1.0/sType/ResourceRef#", "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#",
	"http://ns.adobe.com/xap/1.0/sType/Version#", "http://ns.adobe.com/xap/1.0/sType/Job#", "http://ns.adobe.com/xap/1.0/sType/Dimensions#",
	"http://ns.adobe.com/xap/1.0/sType/Font#", "http://ns.adobe.com/xap/1.0/g/", "http://ns.adobe.com/xap/1.0/g/img/",
	"http://www.aiim.org/pdfa/ns/type#", "http://www.aiim.org/pdfa/ns/field#")

// xmpPacket is the catalog's XMP metadata, parsed.
type xmpPacket struct {
	ref    string
	dict   map[string]any
	header string // the xpacket processing instruction's text
	err    error  // why it is not well-formed
	props  []xmpProp
}

// xnode is an XML element.
type xnode struct {
	name  xml.Name
	attrs []xml.Attr
	kids  []*xnode
	text  string
}

// xmpProp is a property: an element, or an attribute with its value.
type xmpProp struct {
	name  xml.Name
	node  *xnode
	value string
}

func (c *checker) loadXMP() *xmpPacket {
	v := c.catalog()["/Metadata"]
	s := c.stream(v)
	if s == nil {
		return nil
	}
	x := &xmpPacket{ref: refOf(v), dict: s.dict}
	var root *xnode
	root, x.header, x.err = parseXML(s.data)
	if x.err == nil {
		x.props = descriptions(root)
	}
	return x
}

// parseXML reads an XML document into a tree, strictly.
func parseXML(data []byte) (*xnode, string, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	root := &xnode{}
	stack := []*xnode{root}
	header := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return root, header, nil
		}
		if err != nil {
			return nil, header, err
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			n := &xnode{name: t.Name, attrs: t.Attr}
			top.kids = append(top.kids, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.text += string(t)
		case xml.ProcInst:
			if t.Target == "xpacket" && header == "" {
				header = string(t.Inst)
			}
		}
	}
}

// descriptions returns the properties of every rdf:Description in rdf:RDF.
func descriptions(n *xnode) []xmpProp {
	var props []xmpProp
	for _, k := range n.kids {
		if k.name == (xml.Name{Space: nsRDF, Local: "RDF"}) {
			for _, d := range k.kids {
				if d.name == (xml.Name{Space: nsRDF, Local: "Description"}) {
					props = append(props, properties(d)...)
				}
			}
			continue
		}
		props = append(props, descriptions(k)...)
	}
	return props
}

// properties returns a node's properties: its qualified attributes other
// than RDF's, XML's and namespace declarations, and its child elements.
func properties(n *xnode) []xmpProp {
	var props []xmpProp
	for _, a := range n.attrs {
		if a.Name.Space != "" && a.Name.Space != nsRDF && a.Name.Space != nsXML && a.Name.Space != "xmlns" {
			props = append(props, xmpProp{name: a.Name, value: a.Value})
		}
	}
	for _, k := range n.kids {
		if k.name.Space != nsRDF {
			props = append(props, xmpProp{name: k.name, node: k})
		}
	}
	return props
}

// prop returns the first property with a name.
func prop(props []xmpProp, ns, local string) (xmpProp, bool) {
	for _, p := range props {
		if p.name == (xml.Name{Space: ns, Local: local}) {
			return p, true
		}
	}
	return xmpProp{}, false
}

// items returns the rdf:li of a property's rdf:Alt, rdf:Seq or rdf:Bag.
func (p xmpProp) items() []*xnode {
	if p.node == nil {
		return nil
	}
	for _, k := range p.node.kids {
		if k.name.Space == nsRDF && (k.name.Local == "Alt" || k.name.Local == "Seq" || k.name.Local == "Bag") {
			var lis []*xnode
			for _, li := range k.kids {
				if li.name == (xml.Name{Space: nsRDF, Local: "li"}) {
					lis = append(lis, li)
				}
			}
			return lis
		}
	}
	return nil
}

// text returns a simple property's value; for a language alternative,
// the x-default item (or the only one).
func (p xmpProp) text() string {
	if p.node == nil {
		return p.value
	}
	lis := p.items()
	if lis == nil {
		return strings.TrimSpace(p.node.text)
	}
	for _, li := range lis {
		if attr(li, nsXML, "lang") == "x-default" {
			return strings.TrimSpace(li.text)
		}
	}
	if len(lis) == 1 {
		return strings.TrimSpace(lis[0].text)
	}
	return ""
}

func attr(n *xnode, ns, local string) string {
	for _, a := range n.attrs {
		if a.Name.Space == ns && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// fields returns the fields of a structure value (an rdf:li): with
// rdf:parseType="Resource" its children, else its rdf:Description's.
func fields(li *xnode) []xmpProp {
	props := properties(li)
	for _, k := range li.kids {
		if k.name == (xml.Name{Space: nsRDF, Local: "Description"}) {
			props = append(props, properties(k)...)
		}
	}
	return props
}

// checkMetadataStream: the catalog has an XMP metadata stream.
func (c *checker) checkMetadataStream() {
	if c.xmp != nil && c.name(c.xmp.dict["/Type"]) == "Metadata" && c.name(c.xmp.dict["/Subtype"]) == "XML" {
		return
	}
	problem := "the catalog has no /Metadata stream"
	if c.xmp != nil {
		problem = "the catalog's /Metadata " + c.xmp.ref + " lacks /Type /Metadata or /Subtype /XML"
	}
	c.fail("Matterhorn 06-001", "%s", problem)
	c.fail("ISO 19005-2 6.6.2.1", "%s", problem)
}

var packetAttribute = regexp.MustCompile(`\b(bytes|encoding)\s*=`)

// checkXMPSyntax: the XMP is well-formed and its packet header has no
// bytes or encoding attribute.
func (c *checker) checkXMPSyntax() {
	switch {
	case c.xmp == nil:
	case c.xmp.err != nil:
		c.fail("ISO 19005-2 6.6.2.1", "the XMP %s is not well-formed XML: %v", c.xmp.ref, c.xmp.err)
	case packetAttribute.MatchString(c.xmp.header):
		c.fail("ISO 19005-2 6.6.2.1", "the XMP %s's packet header has the attribute %s=", c.xmp.ref, packetAttribute.FindStringSubmatch(c.xmp.header)[1])
	}
}

// parsed returns the XMP's properties when it could be read.
func (c *checker) parsed() ([]xmpProp, bool) {
	if c.xmp == nil || c.xmp.err != nil {
		return nil, false
	}
	return c.xmp.props, true
}

// checkUAIdentification: pdfuaid:part 1 and a non-empty dc:title.
func (c *checker) checkUAIdentification() {
	props, ok := c.parsed()
	if !ok {
		return
	}
	if p, _ := prop(props, nsPDFUAID, "part"); p.text() != "1" {
		c.fail("Matterhorn 06-002", "the XMP %s has pdfuaid:part %q, not 1", c.xmp.ref, p.text())
	}
	if p, _ := prop(props, nsDC, "title"); !hasText(p) {
		c.fail("Matterhorn 06-003", "the XMP %s has no dc:title with text", c.xmp.ref)
	}
}

func hasText(p xmpProp) bool {
	if strings.TrimSpace(p.text()) != "" {
		return true
	}
	for _, li := range p.items() {
		if strings.TrimSpace(li.text) != "" {
			return true
		}
	}
	return false
}

// checkPDFAIdentification: pdfaid:part 2 and pdfaid:conformance A.
func (c *checker) checkPDFAIdentification() {
	props, ok := c.parsed()
	if !ok {
		return
	}
	if p, _ := prop(props, nsPDFAID, "part"); p.text() != "2" {
		c.fail("ISO 19005-2 6.6.4", "the XMP %s has pdfaid:part %q, not 2", c.xmp.ref, p.text())
	}
	if p, _ := prop(props, nsPDFAID, "conformance"); p.text() != "A" {
		c.fail("ISO 19005-2 6.6.4", "the XMP %s has pdfaid:conformance %q, not A", c.xmp.ref, p.text())
	}
}

// checkXMPSchemas: every property is in a predefined schema or in one the
// packet declares in pdfaExtension:schemas, which lists it.
func (c *checker) checkXMPSchemas() {
	props, ok := c.parsed()
	if !ok {
		return
	}
	declared := declaredSchemas(props)
	reported := map[xml.Name]bool{}
	for _, p := range props {
		if !predefined[p.name.Space] && !declared[p.name.Space][p.name.Local] && !reported[p.name] {
			reported[p.name] = true
			c.fail("ISO 19005-2 6.6.2.3.1", "the XMP %s has the property %s in %s, which neither XMP nor PDF/A predefine and no extension schema declares",
				c.xmp.ref, p.name.Local, p.name.Space)
		}
	}
}

// declaredSchemas returns the extension schemas' properties by namespace.
func declaredSchemas(props []xmpProp) map[string]map[string]bool {
	declared := map[string]map[string]bool{}
	schemas, _ := prop(props, nsExt, "schemas")
	for _, li := range schemas.items() {
		f := fields(li)
		uri, _ := prop(f, nsSchema, "namespaceURI")
		list, _ := prop(f, nsSchema, "property")
		names := declared[uri.text()]
		if names == nil {
			names = map[string]bool{}
			declared[uri.text()] = names
		}
		for _, pli := range list.items() {
			name, _ := prop(fields(pli), nsProperty, "name")
			names[name.text()] = true
		}
	}
	return declared
}
