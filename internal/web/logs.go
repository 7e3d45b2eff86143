package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/petro"
	"github.com/wellbase/wellbase/internal/welllogs"
)

// logView is the log page's data: the log, its well, the derived logs (petrophysics runs) of it
// shown beside it in the viewer, and the petrophysics form.
type logView struct {
	Log     *wellbase.WellLog
	Well    *wellbase.Well
	Items   [][2]string // the ~W items, sorted by mnemonic
	Derived []*wellbase.WellLog
	// ViewerLogs are the IDs the viewer shows side by side: the log, then its derived logs.
	ViewerLogs string
	Petro      petroForm
	VshMethods []string
}

// petroForm is the petrophysics form as typed, with its errors.
type petroForm struct {
	jobForm
	VshMethod, MatrixDensity, FluidDensity, Rw string
}

// maxDerivedScanned bounds the logs of the well read to find a log's derived logs.
const maxDerivedScanned = 200

func (a *App) logPage(w http.ResponseWriter, r *http.Request) error {
	v, err := a.logView(r)
	if err != nil {
		return err
	}
	v.Petro = petroForm{VshMethod: petro.Linear, MatrixDensity: "2.65", FluidDensity: "1.0", jobForm: jobForm{Errors: map[string]string{}}}
	return a.render(w, r, http.StatusOK, "log", logTitle(v.Log), v)
}

func logTitle(l *wellbase.WellLog) string { return cmpOr(l.FileName, l.ID) }

func cmpOr(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func (a *App) logView(r *http.Request) (*logView, error) {
	ctx := r.Context()
	ts := a.cfg.Store.Tenant(wellbase.TenantFromContext(ctx))
	l, err := ts.GetLog(ctx, r.PathValue("log"))
	if err != nil {
		return nil, err
	}
	well, err := ts.GetWell(ctx, l.WellID)
	if err != nil {
		return nil, err
	}
	v := &logView{Log: l, Well: well, VshMethods: []string{petro.Linear, petro.LarionovTertiary, petro.LarionovOlder, petro.Clavier, petro.Steiber}}
	for k, val := range l.Well {
		v.Items = append(v.Items, [2]string{k, val})
	}
	slices.SortFunc(v.Items, func(x, y [2]string) int { return strings.Compare(x[0], y[0]) })
	ids := []string{l.ID}
	if l.FileName != "" {
		// A petrophysics run stores its curves as "<file without .las> petrophysics.las" on the
		// same well (welllogs.Service.Petrophysics).
		derived := strings.TrimSuffix(strings.TrimSuffix(l.FileName, ".las"), ".LAS") + " petrophysics.las"
		logs, _, err := ts.ListLogs(ctx, well.ID, wellbase.Page{Limit: maxDerivedScanned})
		if err != nil {
			return nil, err
		}
		for _, o := range logs {
			if o.ID != l.ID && o.FileName == derived {
				v.Derived = append(v.Derived, o)
				if o.Status == wellbase.LogReady {
					ids = append(ids, o.ID)
				}
			}
		}
	}
	v.ViewerLogs = strings.Join(ids, ",")
	return v, nil
}

// runPetrophysics queues a petrophysics job on the log (welllogs.PetrophysicsJob) with the
// form's shale-volume method, densities and Rw, and shows the job; a refused job shows the log
// page again with the reason beside its field.
func (a *App) runPetrophysics(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	v, err := a.logView(r)
	if err != nil {
		return err
	}
	f := petroForm{VshMethod: r.PostForm.Get("vsh_method"), MatrixDensity: r.PostForm.Get("matrix_density"),
		FluidDensity: r.PostForm.Get("fluid_density"), Rw: r.PostForm.Get("rw"), jobForm: jobForm{Errors: map[string]string{}}}
	p := welllogs.PetrophysicsParams{Log: v.Log.ID}
	p.VshMethod = f.VshMethod
	formFloat(r, &f.jobForm, "matrix_density", "g/cm3, e.g. 2.65", &p.MatrixDensity)
	formFloat(r, &f.jobForm, "fluid_density", "g/cm3, e.g. 1.0", &p.FluidDensity)
	formFloat(r, &f.jobForm, "rw", "ohm·m at formation temperature, e.g. 0.05", &p.Rw)
	if len(f.Errors) == 0 {
		j, jf, err := a.enqueue(r, welllogs.PetrophysicsJob, p)
		if err != nil {
			return err
		}
		if j != nil {
			http.Redirect(w, r, "/jobs/"+j.ID, http.StatusSeeOther)
			return nil
		}
		f.jobForm = jf
	}
	v.Petro = f
	return a.render(w, r, http.StatusUnprocessableEntity, "log", logTitle(v.Log), v)
}

// uploadView is the upload page's data: the well the files go to (nil: matched or created from
// each file's ~W section).
type uploadView struct {
	Well *wellbase.Well
}

// uploadPage is the LAS upload form: the files are sent by static/upload.js to POST
// /api/v1/logs (one request per file, with upload progress), or without JavaScript by the form
// itself to the same route (one file, JSON answer).
func (a *App) uploadPage(w http.ResponseWriter, r *http.Request) error {
	var v uploadView
	if id := r.URL.Query().Get("well"); id != "" {
		ctx := r.Context()
		well, err := a.cfg.Store.Tenant(wellbase.TenantFromContext(ctx)).GetWell(ctx, id)
		if err != nil {
			return err
		}
		v.Well = well
	}
	return a.render(w, r, http.StatusOK, "logupload", "Upload LAS files", v)
}

// viewerView is the side-by-side viewer's data: the well and its ready logs.
type viewerView struct {
	Well *wellbase.Well
	Logs []*wellbase.WellLog
	IDs  string
}

// maxLogsSideBySide bounds the logs the side-by-side viewer shows (each adds four tracks).
const maxLogsSideBySide = 6

func (a *App) wellViewerPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ts := a.cfg.Store.Tenant(wellbase.TenantFromContext(ctx))
	well, err := ts.GetWell(ctx, r.PathValue("well"))
	if err != nil {
		return err
	}
	logs, _, err := ts.ListLogs(ctx, well.ID, wellbase.Page{Limit: maxLogsShown})
	if err != nil {
		return err
	}
	v := viewerView{Well: well}
	var ids []string
	for _, l := range logs {
		if l.Status == wellbase.LogReady && len(ids) < maxLogsSideBySide {
			v.Logs, ids = append(v.Logs, l), append(ids, l.ID)
		}
	}
	v.IDs = strings.Join(ids, ",")
	return a.render(w, r, http.StatusOK, "logviewer", "Logs of "+well.Name, v)
}
