// Package logplot draws well logs as SVG composite logs with gonum/plot (gonum.org/v1/plot,
// vg/vgsvg): depth increasing downwards in a depth track at the left, the curves in tracks side
// by side, each track headed by its curves' mnemonics, units and scale ends in the colour of
// their lines.
//
// # Tracks
//
// The layout follows the common composite-log presentation of API RP 33 (Standard Form for
// Hardcopy Presentation of Downhole Well Log Data) and the service companies' log headings:
// track 1 linear with gamma ray, SP and caliper; a logarithmic resistivity track; a porosity
// track with density and neutron on compatible (limestone) scales; a sonic track. Unlike the
// API hardcopy, which puts the depth track between tracks 1 and 2, the depth track is at the
// far left. A curve is placed by its mnemonic (upper-cased, without the :1, :2 suffix of a
// repeated mnemonic), else by its unit; tracks appear only when used, in this order:
//
//	track / kind   mnemonics                                  units (converted)  default scale
//	1 gamma ray    GR GRC GRD GRS GRR GRN SGR CGR HSGR HCGR   API, GAPI          0 – 150 API
//	               ECGR EHGR GRGC GR_EDTC GAM GAMMA GRAM
//	  SP           SP SSP SPBR                                as given           −80 – 20 mV
//	  caliper      CALI CAL CALX CALY CAL1 CAL2 C1 C2 HCAL    IN (MM, CM → in)   6 – 16 in,
//	               LCAL                                                          shared with
//	  bit size     BS BIT BITSIZE                             IN (MM, CM → in)   caliper
//	2 resistivity  deep: RDEP RD RDEEP ILD RILD LLD RLLD RT   OHMM, OHM.M,       0.2 – 2000
//	               AT90 AHT90 AF90 HDRS IDPH RLA5             OHM-M              ohm·m, log,
//	               medium: RMED RM ILM RILM LLS RLLS AT60                        shared
//	               AT30 AHT60 HMRS IMPH RLA3
//	               shallow: RSHA RS MSFL RXO RXOZ SFL SFLU
//	               LL8 MLL AT10 AHT10 RLA1
//	3 porosity     DEN RHOB RHOZ ZDEN DENS RHO8 HDEN          G/CC, G/CM3        1.95 – 2.95 g/cm3
//	                                                          (K/M3 ×0.001)
//	  neutron      NEU NPHI TNPH NPOR CNL CNC NPHS APLC NPLS  V/V, FRAC, DEC     0.45 → −0.15 v/v
//	                                                          (%, PU, LPU ×0.01) (reversed)
//	  PEF          PEF PE PEFZ PEF8                           B/E                0 – 10 b/e
//	4 sonic        AC DT DTC DTCO DT4P DTP DT24               US/F (US/M         140 → 40 µs/ft
//	                                                          ×0.3048)           (reversed)
//	others         any other curve, one linear track each     as given           data P1–P99
//
// A curve whose mnemonic is not listed is placed by its unit alone when the unit is one of the
// family's: GAPI → gamma ray, OHMM → resistivity (drawn black), G/CC or K/M3 → density, US/F
// → sonic, B/E → PEF. Units such as %, V/V, IN or MV say too little and are not used alone.
//
// Headers spell units as [DisplayUnit] does (ohm·m, gAPI, µs/ft, g/cm3, m); a unit it does not
// know is printed as the file writes it.
//
// Curves of a track that share a scale (all resistivities; caliper and bit size) are fitted
// together so their lines compare directly. Colours follow the usual headings: gamma ray green,
// deep resistivity red, medium blue dashed, shallow green dotted, density red, neutron blue
// dashed, caliper black dashed, sonic purple; a second curve of the same kind in a track takes
// a spare colour so every header line matches one curve.
//
// # Scales
//
// Density and neutron always keep their compatible default scales (1.95–2.95 g/cm3 and 0.45 →
// −0.15 v/v), so that their overlay reads as it does on any composite log; values beyond clip.
// Any other curve keeps its default scale while the 1st–99th percentiles of its samples in the
// depth window lie within it; otherwise its scale becomes that P1–P99 range widened to round numbers
// (about ten 1-2-2.5-5 divisions; whole decades on the log track), keeping the default's
// direction. When the curves of a scale hold more than 8 192 samples in the window, the
// percentiles are estimated from an even stride of them. Scales are fitted to the depth
// window, so a zoomed plot may show other scale ends than the whole log. Values beyond a scale
// are clipped at the track edge (no wrap-around backup scale); zero and negative values on the
// log track are gaps. Linear tracks have ten divisions, the log track a line per decade with
// minor lines at 2–9; the depth grid has labelled major lines at a 1-2-5 step at least 40 pt
// apart and minor lines at a fifth of it (a half for a 2 step).
//
// # Decimation
//
// Before drawing, each curve is reduced per pixel row: the depth window is cut into one bin per
// point (1/72 in, the SVG user unit) of track height, and a bin keeps only its smallest and
// largest sample, in depth order, at their own depths. Spikes one sample wide stay visible, and
// a curve of any length becomes at most two vertices per row, so 3 000 000-sample curves plot
// in a fraction of a second into an SVG of a few hundred kilobytes. NULLs (NaN) break the line;
// a gap shorter than one row between valid samples is below the plot's resolution and not
// drawn. Logs with at most two samples per row are drawn sample by sample.
package logplot
