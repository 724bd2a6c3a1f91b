package main

// GET /log-stream?level=LEVEL as newer Teleport versions serve it on the debug socket:
// chunked application/x-ndjson, one JSON object per line (timestamp in RFC 3339 with
// nanoseconds, level, message, caller, component, trace_id and span_id on traced lines,
// other attributes as string keys), 400 for an unknown level. Enabled with -log-stream
// (without it the route is 404, as on older versions). Every 7th line is hostile (escape
// sequences, a bidi override), every 11th is not JSON, every 13th is traced. Go 1.19 has no
// log/slog: lines are encoded with encoding/json.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

var logLevels = map[string]int{"": 0, "TRACE": 0, "DEBUG": 1, "INFO": 2, "WARN": 3, "ERROR": 4}
var logLevelNames = []string{"TRACE", "DEBUG", "INFO", "WARN", "ERROR"}

func registerLogStream(mux *http.ServeMux, every time.Duration) {
	mux.HandleFunc("/log-stream", func(w http.ResponseWriter, r *http.Request) {
		minimum, ok := logLevels[strings.ToUpper(r.URL.Query().Get("level"))]
		if !ok {
			http.Error(w, "invalid log level", http.StatusBadRequest)
			return
		}
		flusher, ok := w.(http.Flusher)
		if !ok {
			http.Error(w, "streaming unsupported", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/x-ndjson")
		w.WriteHeader(http.StatusOK)
		flusher.Flush()
		ticker := time.NewTicker(every)
		defer ticker.Stop()
		for i := 1; ; i++ {
			select {
			case <-r.Context().Done():
				return
			case <-ticker.C:
			}
			if i%11 == 0 {
				fmt.Fprintf(w, "not json: plain text line %d\n", i)
				flusher.Flush()
				continue
			}
			rank := []int{2, 1, 2, 3, 2, 4, 0}[i%7]
			if rank < minimum {
				continue
			}
			line := map[string]string{
				"timestamp": time.Now().UTC().Format("2006-01-02T15:04:05.000000000Z07:00"),
				"level":     logLevelNames[rank],
				"message":   fmt.Sprintf("fixture line %d", i),
				"caller":    "godiag/logstream.go:57",
				"component": []string{"auth", "proxy:server", "node"}[i%3],
				"seq":       fmt.Sprint(i),
			}
			if i%7 == 0 {
				line["message"] = fmt.Sprintf("\x1b]0;pwned\x07\x1b[2Jhostile-%d \u202eevil", i)
				line["component"] = "\x1b[31mred"
			}
			if i%13 == 0 {
				line["trace_id"] = fmt.Sprintf("%032x", i)
				line["span_id"] = fmt.Sprintf("%016x", i)
			}
			body, _ := json.Marshal(line)
			w.Write(append(body, '\n'))
			flusher.Flush()
		}
	})
}
