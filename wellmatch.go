package wellbase

import "strings"

// WellRef is how a file names a well: its identifiers (a UWI or API number, an official code
// such as the NPD wellbore code) and its names, each in order of preference. LAS files give the
// ~W UWI (else API) and WELL items; production files give the UWI column, the well code and
// every spelling of the name the file uses.
type WellRef struct {
	IDs   []string
	Names []string
}

// WellKey folds a well name or identifier for matching: leading and trailing white space
// removed, inner runs of white space made one space, upper case. "15/9-f-14 " and
// "15/9-F-14" have the same key; "15/9-F-14" and "15/9-F-14 H" do not.
func WellKey(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), " ")) }

// WellIndex finds a tenant's stored well from a WellRef. It is the one rule by which every
// import (LAS uploads and their parse jobs, production imports) attaches what a file
// describes to a stored well:
//
//  1. the first identifier of the ref, in order, whose WellKey equals a well's UWI; else
//  2. the first name of the ref, in order, whose WellKey equals a well's name; else
//  3. no well (the caller creates one from the file).
//
// An identifier outranks a name, whatever their order in the file: names repeat across
// fields and are written loosely, a UWI is issued once. A name match does not look at the
// well's UWI, so a stored well with another UWI but the same name is still matched (wells
// made by hand often have no UWI, or one written differently from the file's). When several
// wells share a key, the one added first wins: the store lists wells by ID, oldest first, so
// the oldest well is chosen whatever the page size.
type WellIndex struct {
	byUWI, byName map[string]*Well
}

// NewWellIndex returns an index of wells (in the store's order).
func NewWellIndex(wells ...*Well) *WellIndex {
	ix := &WellIndex{byUWI: map[string]*Well{}, byName: map[string]*Well{}}
	for _, w := range wells {
		ix.Add(w)
	}
	return ix
}

// Add indexes w, after the wells already indexed.
func (ix *WellIndex) Add(w *Well) {
	if k := WellKey(w.UWI); k != "" {
		if _, ok := ix.byUWI[k]; !ok {
			ix.byUWI[k] = w
		}
	}
	if k := WellKey(w.Name); k != "" {
		if _, ok := ix.byName[k]; !ok {
			ix.byName[k] = w
		}
	}
}

// Find returns the well ref names by the rule of WellIndex, or nil.
func (ix *WellIndex) Find(ref WellRef) *Well {
	for _, id := range ref.IDs {
		if w := ix.byUWI[WellKey(id)]; w != nil && WellKey(id) != "" {
			return w
		}
	}
	for _, n := range ref.Names {
		if w := ix.byName[WellKey(n)]; w != nil && WellKey(n) != "" {
			return w
		}
	}
	return nil
}
