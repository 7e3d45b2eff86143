// Package production reads oil and gas production volumes — per well, per day or per month —
// from CSV files and XLSX workbooks into plain Go values, ready for an importer to store.
//
// [Parse] (or [ParseCSV], [ParseXLSX]) returns a [Result]: the [Record]s, one per well, period and
// date; a [WellSummary] per well (official code, names as seen, UWI, rows, first and last date,
// cumulative volumes with units); and the [Issue]s found, each with its sheet and 1-based row as a
// spreadsheet shows them. Bad rows never stop the good ones. A file that cannot be read at all
// gives a *wellbase.Error with code wellbase.EInvalid whose message says what is missing, and no
// Result.
//
// # Columns
//
// The header row may follow title rows (up to 30 non-blank rows are searched). Header names are
// matched case-insensitively, ignoring spaces, underscores and punctuation; the main names and
// some aliases are:
//
//	date             date, DATEPRD, production date, report date, day
//	                 — or year + month (monthly), year + month + day, or a month column alone
//	                   holding month dates (2014-04, Apr-2014)
//	well             well, well name, wellbore, wellbore name, NPD_WELL_BORE_NAME
//	uwi              UWI, API, API number, wellbore code, WELL_BORE_CODE
//	code             code, NPD code, NPDCode, NPD_WELL_BORE_CODE, well ID (the official code)
//	period           period ("day" | "month"; blank cells take the sheet's period)
//	oil              oil, BORE_OIL_VOL, oil volume
//	gas              gas, BORE_GAS_VOL, gas volume
//	water            water, wat, BORE_WAT_VOL
//	water_injected   WI, water injected, water injection, BORE_WI_VOL
//	gas_injected     GI, gas injected, gas injection, BORE_GI_VOL
//	on_stream_hours  on stream, ON_STREAM_HRS, hours, uptime — or days online, producing days (×24)
//
// A date column, at least one of well, uwi and code (or [Options].Well), and at least one volume
// column are required. Other columns (pressures, choke, field, facility, well type) are listed in
// [SheetInfo].Ignored.
//
// # Units
//
// Units are kept with every series and never converted. A column declares its unit in the header
// ("oil[Sm3]", "gas [Mcf]", "Water (bbl)", "oil_bbl") or in a units row right under the header
// (the Volve monthly sheet's "hrs, Sm3, Sm3, …"); else [Options].Units applies; else, in a
// workbook, the one unit the other sheets give that phase (reported); else the unit is "" and an
// [IssueUnit] issue says so. Spellings are normalised by [NormalizeUnit] (Sm3, SM3, sm³ → "Sm3").
// On-stream time is always in hours.
//
// # Values
//
// Blank cells and NULL tokens ([IsNullToken]: NULL, NA, #N/A, -, …) are nil volumes, not zeros:
// an injector's oil, the monthly GI column. Negative volumes are kept and reported; so are
// on-stream hours above the period's calendar hours (25 hours on the day clocks go back). A cell
// that is not a number is reported and left blank. A row without a readable date or well is
// reported and skipped.
//
// # Periods and dates
//
// A daily record is dated at 00:00 UTC of its day, a monthly one at 00:00 UTC of the first of its
// month ([Record.Mid] gives the mid-period point for rates). A volume divided by [Record.Days] is a
// calendar-day rate; divided by OnStreamHours/24 a producing-day rate. Dates may be Excel serial
// numbers, ISO 8601, D.M.Y, unambiguous or [Options].DateOrder-resolved M/D/Y and D/M/Y, or with
// month names.
//
// # Identity and duplicates
//
// [Record.Key] — well code, period, date — is the record's identity, so re-importing a file can
// upsert. A second row with the key of an earlier row (in the same sheet or another) is reported
// as [IssueDuplicate] and skipped: the first row wins. Wells are joined across sheets on the
// official code, never on the names, which differ between sheets of the same workbook (the Volve
// daily sheet says "15/9-F-14" beside "NO 15/9-F-14 H", its monthly sheet "15/9-F-14" with NPD
// code 5351).
package production
