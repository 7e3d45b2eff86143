// Package las reads well logs in the Log ASCII Standard (LAS) versions 1.2, 2.0 and 3.0 and
// writes LAS 2.0.
//
// The standards are the authority: CWLS LAS 1.2 (September 1990), CWLS LAS 2.0 (January 2014
// update) and the LAS 3.0 File Structure Specification (June 2000). Real files break them in
// many ways; [Read] reads such a file when its meaning is clear, records each repair as a
// [Warning] with the line it concerns, and rejects the file with a [*ParseError] that names the
// line and what was expected when it is not.
//
// # Reading
//
// [Read] streams: the data section is decoded line by line, straight into one array per curve,
// so the memory a file needs is about the size of its decoded columns (8 bytes per numeric
// sample) and the text is never held whole. Numeric curves are []float64 with NaN for a NULL
// sample; text curves (dates, lithology names, LAS 3.0 {S} columns) are []string with "" for a
// NULL sample. The index (the first curve) is never made NULL by value.
//
// What is handled, with the rule each follows:
//
//   - encodings: UTF-8 with or without a byte-order mark, UTF-16 and UTF-32 LE/BE with or
//     without one, and code pages: Windows-1252/Latin-1, the Cyrillic Windows-1251, IBM866
//     (CP866) and KOI8-R, CJK ones (decided by the BOM, the NUL pattern, whether the header is
//     valid UTF-8, then by a charset detector); [WithEncoding] names the encoding instead;
//   - LF, CRLF and bare CR line endings, and a DOS end-of-file byte (0x1A);
//   - header lines split at the first dot, the first space after it and the delimiter colon
//     (see [ParseHeaderLine] for the exact rule that keeps times such as 23:15 in values);
//   - the LAS 1.2 ~W quirk (value and description swapped, except STRT, STOP, STEP, NULL);
//   - wrapped data (WRAP YES), SPACE/COMMA/TAB delimiters, quoted strings (LAS 3.0, also
//     across lines), comma-delimited data in a file that claims 2.0, a comma as decimal mark;
//   - NULL by the ~W NULL value and the usual null tokens ([IsNullToken]);
//   - duplicate mnemonics (kept, renamed GR:1, GR:2), missing mnemonics (UNKNOWN), more curves
//     than data columns or the reverse, short rows (never shifted: the missing values are NULL),
//     values of fixed-width fields that ran together (split where the column layout says where
//     one ends, else NULL: a numeric curve does not become text for them), wrapped data under
//     WRAP NO, text columns (a column becomes text when a value is not a number), comments and
//     blank lines in the data;
//   - a header written twice (a curve defined again is one curve) and a data section whose
//     title line is missing (its data start at the first data line: data lines never become
//     curves);
//   - STRT, STOP and STEP are checked against the index data, which is trusted (STEP 0 on
//     regular data, a STOP past the last row are warnings);
//   - LAS 3.0 sets (~Core_Parameter, ~Core_Definition, ~Core_Data[1] | Core_Definition,
//     ~Core[2] …: in a 3.0 file a title is classified by its word and association, not by its
//     first letter), {format} and | association on definition lines, kept in [File.Sections].
//
// Binary LiDAR files (ASPRS LAS, which begin with "LASF") are rejected at once.
//
// # Summary and writing
//
// [Summarize] turns a [File] into the JSON-ready [Summary] that `wellbase las check --json`
// prints and the upload API returns. [Check] gives the same summary straight from the text,
// keeping statistics instead of samples: constant memory, and the fastest way to check a big
// file. [Write] writes a [File] as LAS 2.0 that [Read] reads back to the same curves.
package las
