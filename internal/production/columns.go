package production

import "strings"

// field is what a column holds.
type field int

const (
	fNone field = iota
	fDate
	fYear
	fMonth // a month number beside a year column, or a month-date column alone
	fWell  // well name
	fUWI
	fCode
	fPeriod
	fOil
	fGas
	fWater
	fWaterInjected
	fGasInjected
	fHours
	fDays // on-stream days, converted to hours
	nFields
)

var fieldNames = [nFields]string{
	fNone: "", fDate: "date", fYear: "year", fMonth: "month", fWell: "well", fUWI: "uwi",
	fCode: "code", fPeriod: "period", fOil: "oil", fGas: "gas", fWater: "water",
	fWaterInjected: "water_injected", fGasInjected: "gas_injected", fHours: "on_stream_hours",
	fDays: "on_stream_hours",
}

// phaseFields lists the volume fields in the order of phases.
var phaseFields = [...]field{fOil, fGas, fWater, fWaterInjected, fGasInjected}

// aliases maps a folded header name (see headerKey) to its field. These are the documented
// column names; see the package documentation.
var aliases = map[string]field{}

func init() {
	add := func(f field, names ...string) {
		for _, n := range names {
			aliases[n] = f
		}
	}
	add(fDate, "date", "dateprd", "proddate", "productiondate", "prodday", "productionday",
		"reportdate", "reportingdate", "day", "datetime", "startdate", "periodstart",
		"periodstartdate", "productiondatetime")
	add(fYear, "year", "yr", "prodyear", "productionyear")
	add(fMonth, "month", "mon", "mnth", "prodmonth", "productionmonth", "yearmonth")
	add(fWell, "well", "wellname", "wellbore", "wellborename", "name", "npdwellborename",
		"borename", "wellnm")
	add(fUWI, "uwi", "api", "apino", "apinumber", "api10", "api12", "api14", "uwinumber",
		"wellborecode", "borecode", "wellcode")
	add(fCode, "code", "npdcode", "npdwellborecode", "npdid", "npdwellboreid", "wellboreid",
		"officialcode", "officialwellcode", "wellid")
	add(fPeriod, "period", "periodtype", "frequency", "freq")
	add(fOil, "oil", "oilvol", "oilvolume", "boreoilvol", "oilprod", "oilproduction",
		"oilproduced", "netoil")
	add(fGas, "gas", "gasvol", "gasvolume", "boregasvol", "gasprod", "gasproduction",
		"gasproduced")
	add(fWater, "water", "wat", "wtr", "watvol", "watervol", "watervolume", "borewatvol",
		"waterprod", "waterproduction", "waterproduced")
	add(fWaterInjected, "wi", "winj", "waterinjected", "waterinj", "waterinjection", "injwater",
		"injectedwater", "borewivol", "wivol", "waterinjvol", "waterinjectionvol")
	add(fGasInjected, "gi", "ginj", "gasinjected", "gasinj", "gasinjection", "injgas",
		"injectedgas", "boregivol", "givol", "gasinjvol", "gasinjectionvol")
	add(fHours, "onstreamhrs", "onstream", "onstreamhours", "onstreamtime", "hours", "hrs",
		"hoursonline", "onlinehours", "producinghours", "prodhours", "uptime", "uptimehours",
		"hoursonstream", "hoursproduced", "hoursonproduction")
	add(fDays, "daysonline", "onlinedays", "producingdays", "daysproducing", "daysonproduction",
		"daysonstream", "onstreamdays", "days", "proddays")
}

// headerKey folds a header name for alias lookup: lower case ASCII letters and digits only.
func headerKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteByte(c)
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		}
	}
	return b.String()
}

// splitHeader splits a header cell into its name and its unit: "oil[Sm3]", "gas [Mcf]",
// "Water (bbl)", "oil_sm3", "Gas MSm3" → ("oil", "Sm3"), … The unit is as written (trimmed).
func splitHeader(h string) (name, unit string) {
	h = strings.Join(strings.Fields(h), " ")
	for _, br := range [...][2]byte{{'[', ']'}, {'(', ')'}, {'{', '}'}} {
		if i := strings.IndexByte(h, br[0]); i > 0 {
			if j := strings.LastIndexByte(h, br[1]); j > i {
				return strings.TrimSpace(h[:i]), strings.TrimSpace(h[i+1 : j])
			}
		}
	}
	return h, ""
}

// column is one recognised column of a header.
type column struct {
	index  int
	header string
	field  field
	unit   string // as written in the header (brackets or suffix); "" if none
}

// header is the column layout of a sheet.
type header struct {
	cols    []column
	at      [nFields]int // column index per field, -1 when absent
	ignored []string
	matched int
}

// mapHeader recognises the columns of a candidate header row. The first column of a field wins;
// later ones are listed in ignored.
func mapHeader(cells []string) header {
	var h header
	for i := range h.at {
		h.at[i] = -1
	}
	for i, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		f, unit := classify(c)
		if f == fNone {
			h.ignored = append(h.ignored, c)
			continue
		}
		if f == fDays {
			if h.at[fHours] >= 0 {
				h.ignored = append(h.ignored, c)
				continue
			}
		} else if f == fHours && h.at[fDays] >= 0 {
			h.ignored = append(h.ignored, c)
			continue
		}
		if h.at[f] >= 0 {
			h.ignored = append(h.ignored, c+" (second "+fieldNames[f]+" column)")
			continue
		}
		h.at[f] = i
		h.cols = append(h.cols, column{index: i, header: c, field: f, unit: unit})
		h.matched++
	}
	return h
}

// classify maps one header cell to a field and the unit it declares.
func classify(cell string) (field, string) {
	name, unit := splitHeader(cell)
	if f, ok := aliases[headerKey(name)]; ok {
		return f, unit
	}
	if unit != "" {
		return fNone, ""
	}
	// A unit as the last word: "oil_sm3", "Gas Mcf", "ON_STREAM_HRS" is caught above.
	i := strings.LastIndexAny(name, " _-.")
	if i <= 0 {
		return fNone, ""
	}
	if _, known := NormalizeUnit(name[i+1:]); !known {
		return fNone, ""
	}
	if f, ok := aliases[headerKey(name[:i])]; ok {
		return f, name[i+1:]
	}
	return fNone, ""
}

func (h *header) has(f field) bool { return h.at[f] >= 0 }

// hasDate reports whether the header gives a date: a date column, a year and a month column, or
// a month column alone (a month-date such as "2014-04").
func (h *header) hasDate() bool { return h.has(fDate) || h.has(fMonth) }

func (h *header) hasWell() bool { return h.has(fWell) || h.has(fUWI) || h.has(fCode) }

func (h *header) hasVolume() bool {
	for _, f := range phaseFields {
		if h.has(f) {
			return true
		}
	}
	return false
}
