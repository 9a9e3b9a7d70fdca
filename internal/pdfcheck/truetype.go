package pdfcheck

import (
	"encoding/binary"
	"errors"
)

// trueType is what the checks need of a TrueType font program: the number
// of glyphs and their advance widths.
type trueType struct {
	unitsPerEm uint16
	numGlyphs  uint16
	advances   []uint16 // hmtx's longHorMetrics; later glyphs repeat the last
}

var errTrueType = errors.New("not a readable TrueType font")

// parseTrueType reads the head, maxp, hhea and hmtx tables.
func parseTrueType(b []byte) (*trueType, error) {
	tables, err := tableDirectory(b)
	if err != nil {
		return nil, err
	}
	head, maxp, hhea, hmtx := tables["head"], tables["maxp"], tables["hhea"], tables["hmtx"]
	if len(head) < 20 || len(maxp) < 6 || len(hhea) < 36 {
		return nil, errTrueType
	}
	t := &trueType{unitsPerEm: binary.BigEndian.Uint16(head[18:]), numGlyphs: binary.BigEndian.Uint16(maxp[4:])}
	n := int(binary.BigEndian.Uint16(hhea[34:]))
	if t.unitsPerEm == 0 || n == 0 || len(hmtx) < 4*n {
		return nil, errTrueType
	}
	t.advances = make([]uint16, n)
	for i := range t.advances {
		t.advances[i] = binary.BigEndian.Uint16(hmtx[4*i:])
	}
	return t, nil
}

// tableDirectory returns the font's tables by tag; the directory's records
// start at offset 12, 16 bytes each: tag, checksum, offset, length.
func tableDirectory(b []byte) (map[string][]byte, error) {
	if len(b) < 12 {
		return nil, errTrueType
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	tables := make(map[string][]byte, n)
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(b) {
			return nil, errTrueType
		}
		off, size := binary.BigEndian.Uint32(b[rec+8:]), binary.BigEndian.Uint32(b[rec+12:])
		if uint64(off)+uint64(size) > uint64(len(b)) {
			return nil, errTrueType
		}
		tables[string(b[rec:rec+4])] = b[off : off+size]
	}
	return tables, nil
}

// width returns a glyph's advance in thousandths of the em, as /W has it.
func (t *trueType) width(gid int) float64 {
	adv := t.advances[min(gid, len(t.advances)-1)]
	return float64(adv) * 1000 / float64(t.unitsPerEm)
}
