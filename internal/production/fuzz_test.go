package production_test

import (
	"strings"
	"testing"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/production"
)

// FuzzParseCSV checks that no input makes the CSV reader panic, and that it either fails with an
// EInvalid error or returns records that satisfy the documented invariants.
func FuzzParseCSV(f *testing.F) {
	for _, s := range []string{
		"date,well,oil[Sm3]\n2014-04-07,A-1,5\n",
		"Wellbore name,NPDCode,Year,Month,On Stream,Oil\n,,,,hrs,Sm3\nF-1,7405,2014,4,227.5,NULL\n",
		"Date;Well;Oil [Sm3]\r07.04.2014;A;1,5\r",
		"date,well,period,oil,hours\n2014-04-30,A,month,\"1,234.5\",745\n2014-04-07,A,day,-1,25\n",
		"\ufeffdate,well,oil\n\"2014-04-07,A,5\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		res, err := production.ParseCSV(strings.NewReader(in), production.Options{})
		if err != nil {
			if wellbase.ErrorCode(err) != wellbase.EInvalid {
				t.Fatalf("error %v is not EInvalid", err)
			}
			return
		}
		seen := map[production.Key]bool{}
		for _, r := range res.Records {
			if r.Well.Code == "" || r.Date.IsZero() || (r.Period != production.Day && r.Period != production.Month) || r.Row < 1 {
				t.Fatalf("bad record %+v", r)
			}
			if seen[r.Key()] {
				t.Fatalf("duplicate key %v", r.Key())
			}
			seen[r.Key()] = true
		}
		if len(res.Records) > res.RowsRead {
			t.Fatalf("%d records from %d rows", len(res.Records), res.RowsRead)
		}
	})
}
