// Command godiag is a test fixture for teleport-top: a small Go HTTP server
// that imitates the diagnostics listener of a Teleport process
// (teleport start --diag-addr=...). The Swift tests start it as a real peer,
// so that the client is exercised against Go's real net/http server and the
// real Prometheus client library rather than against canned bytes.
//
// Endpoints (all on one http.ServeMux, never http.DefaultServeMux):
//
//	GET  /healthz            200 {"status":"ok"}
//	GET  /readyz             200/400/503 with Teleport's readiness JSON,
//	                         following the fixture state (see below)
//	GET  /metrics            promhttp handler with OpenMetrics negotiation
//	                         (0.0.1 and, through openMetrics100, 1.0.0)
//	                         and gzip, over a private registry holding the Go
//	                         and process collectors plus Teleport-shaped
//	                         families (process_state, teleport_build_info,
//	                         backend_requests, backend_*_seconds, ...)
//	POST /fixture/state?value=ok|recovering|degraded|starting
//	                         (PUT too; GET reports the current state)
//	POST /fixture/metrics-status?code=500
//	                         /metrics answers that status (0: normally again)
//	                         while /readyz keeps answering
//	     /debug/pprof/...    net/http/pprof, only with -debug (404 otherwise)
//	GET  /log-stream?level=L NDJSON log lines, only with -log-stream D (see logstream.go)
//	POST /fixture/fault?name=F&on=1|0
//	                         fault switches (see faults.go); GET lists those on
//
// Flags:
//
//	-listen ADDR    TCP address, default 127.0.0.1:0; "off" disables TCP
//	-unix PATH      also (or, with -listen off, only) serve on a unix socket
//	-state S        initial state: ok (default), recovering, degraded, starting
//	-old-readyz     /readyz bodies without "pid" (older Teleport releases)
//	-debug          serve /debug/pprof and generate cpu/block/mutex samples,
//	                live heap, allocations and parked goroutines (see
//	                startProfileWorkload); the CPU is burnt only while a CPU
//	                profile or trace is being taken, so an idle fixture does
//	                not load the machine the other tests share
//	-series N       add fixture_synthetic_series with N series (large payloads)
//	-hostile        add fixture_hostile, whose HELP and label values carry
//	                terminal escape sequences and other control characters
//	-seed N         math/rand seed for the workload (default 1)
//	-stdin-watch    exit 0 when stdin reaches EOF or the parent process
//	                goes away (default true)
//
// Once every listener is bound it prints one line per listener to stdout:
//
//	LISTENING http://127.0.0.1:PORT
//	LISTENING unix:/path/to/socket
//
// TCP first. It then serves until SIGTERM/SIGINT or until stdin is closed
// (so a test runner that dies does not leave it behind), exiting 0 either
// way. NOTE: with -stdin-watch (the default) a stdin of /dev/null makes it
// exit at once; give it a pipe. Every request is logged to stderr as one line
// "METHOD /path?query" (the request URI as received).
//
// Build (Go 1.19, Debian's golang-github-prometheus-client-golang-dev, which
// ships client_golang 1.14.0; GOPATH mode, no go.mod, no network):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode \
//	    go build -o /tmp/godiag ./Tests/Fixtures/godiag
package main

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Process states, numbered as Teleport's process_state gauge.
const (
	stateOK         = 0
	stateRecovering = 1
	stateDegraded   = 2
	stateStarting   = 3
)

var stateNames = []string{"ok", "recovering", "degraded", "starting"}

func parseState(s string) (int32, bool) {
	for i, n := range stateNames {
		if n == s {
			return int32(i), true
		}
	}
	return 0, false
}

// Teleport's readiness body (lib/service/state.go, debug.Readiness):
// {"status": ..., "pid": ...}, in that field order.
type readiness struct {
	Status string `json:"status"`
	PID    int    `json:"pid"`
}

type oldReadiness struct {
	Status string `json:"status"`
}

// Metric families, shaped as Teleport's (names, types and labels).
var (
	processStateGauge = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "process_state",
		Help: "State of the teleport process: 0 - ok, 1 - recovering, 2 - degraded, 3 - starting",
	})
	buildInfo = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: "teleport",
		Name:      "build_info",
		Help:      "Provides build information of Teleport including gitref (git describe --long --tags), Go version, and Teleport version. The value of this gauge will always be 1.",
	}, []string{"version", "gitref", "goversion"})
	// Teleport names this counter without the _total suffix.
	backendRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "backend_requests",
		Help: "Number of requests to the backend (reads, writes, and keepalives)",
	}, []string{"component", "req", "range"})
	backendReadSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "backend_read_seconds",
		Help:    "Latency for backend read operations",
		Buckets: prometheus.ExponentialBuckets(0.001, 2, 16),
	}, []string{"component"})
	backendWriteSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "backend_write_seconds",
		Help:    "Latency for backend write operations",
		Buckets: prometheus.ExponentialBuckets(0.001, 2, 16),
	}, []string{"component"})
	grpcServerHandled = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name:        "grpc_server_handled_total",
		Help:        "Total number of RPCs completed on the server, regardless of success or failure.",
		ConstLabels: prometheus.Labels{"server": "teleport-auth"},
	}, []string{"grpc_type", "grpc_service", "grpc_method", "grpc_code"})
	// A gauge despite its name, as in Teleport.
	heartbeatsMissed = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "heartbeats_missed_total",
		Help: "Number of heartbeats missed by auth server",
	})
	connectedResources = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: "teleport",
		Name:      "connected_resources",
		Help:      "Number and type of resources connected via keepalives",
	}, []string{"type"})
	userLogins = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "user_login_total",
		Help: "Number of times there was a user login",
	})
	// Not a Teleport family: present so parsers meet a summary.
	rpcDuration = prometheus.NewSummaryVec(prometheus.SummaryOpts{
		Name:       "fixture_rpc_duration_seconds",
		Help:       "Fixture RPC latency, a summary so that parsers see quantiles.",
		Objectives: map[float64]float64{0.5: 0.05, 0.9: 0.01, 0.99: 0.001},
	}, []string{"method"})
)

// Hostile strings for sanitizer tests. Go's text exposition escapes only
// backslash and newline in HELP (plus the double quote in label values), so
// everything else below reaches the client as raw bytes. NUL is left out.
const hostileHelp = "Hostile help: \x1b[31mred\x1b[0m osc:\x1b]0;title\x07 " +
	"bidi:\u202Eevil\u202C tab:\there bell:\x07 bs:\x08 vt:\x0b ff:\x0c " +
	"cr:\r esc-only:\x1b del:\x7f c1-csi:\u009b31m zwsp:\u200b " +
	"backslash:\\ newline:\n end"

var hostileValues = []struct{ kind, payload string }{
	{"csi", "\x1b[31mred\x1b[0m"},
	{"osc", "\x1b]0;title\x07"},
	{"bidi", "\u202Eevil\u202C"},
	{"c0", "tab\there\x01\x02\x07\x08\x0b\x0c\r\x1b\x1f!"},
	{"del_c1", "del\x7f c1\u009b31m"},
	{"escaped", "quote\" backslash\\ newline\n end"},
	{"clear", "\x1b[2J\x1b[H\x1b[?1049h"},
	{"wide", "\u5168\u89d2 \U0001F642 zw\u200bj"},
}

func main() {
	listen := flag.String("listen", "127.0.0.1:0", `TCP listen address, or "off"`)
	unixPath := flag.String("unix", "", "also serve on a unix socket at this path")
	initial := flag.String("state", "ok", "initial state: ok, recovering, degraded, starting")
	oldReadyz := flag.Bool("old-readyz", false, "omit pid from /readyz bodies (older Teleport)")
	debug := flag.Bool("debug", false, "serve /debug/pprof and generate profile samples")
	series := flag.Int("series", 0, "number of fixture_synthetic_series series")
	hostile := flag.Bool("hostile", false, "add fixture_hostile with control characters")
	seed := flag.Int64("seed", 1, "math/rand seed for the workload")
	stdinWatch := flag.Bool("stdin-watch", true, "exit when stdin reaches EOF")
	tlsCert := flag.String("tls-cert", "", "serve TCP over TLS with this certificate (PEM)")
	tlsKey := flag.String("tls-key", "", "the key of -tls-cert (PEM)")
	clientCA := flag.String("client-ca", "", "with -tls-cert: require client certificates signed by this CA (mutual TLS)")
	logStream := flag.Duration("log-stream", 0, "serve /log-stream with a line this often (0: 404, as older Teleport)")
	faultList := flag.String("fault", "", "faults on from the start, comma-separated (see faults.go)")
	flag.Parse()
	if *faultList != "" {
		for _, name := range strings.Split(*faultList, ",") {
			if !faults.set(name, true) {
				log.Printf("godiag: bad -fault %q: want one of %s", name, strings.Join(faultNames, ", "))
				os.Exit(2)
			}
		}
	}
	go leakLoop()

	logger := log.New(os.Stderr, "", 0)

	st, ok := parseState(*initial)
	if !ok {
		logger.Printf("godiag: bad -state %q", *initial)
		os.Exit(2)
	}
	if *listen == "off" && *unixPath == "" {
		logger.Print("godiag: nothing to listen on (-listen off and no -unix)")
		os.Exit(2)
	}
	var state int32 = st
	processStateGauge.Set(float64(st))

	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		processStateGauge, buildInfo, backendRequests, backendReadSeconds,
		backendWriteSeconds, grpcServerHandled, heartbeatsMissed,
		connectedResources, userLogins, rpcDuration,
	)
	reg.MustRegister(faultCollectors()...)
	buildInfo.WithLabelValues("15.4.2", "v15.4.2-0-gabcdef0", runtime.Version()).Set(1)

	if *series > 0 {
		synthetic := prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "fixture_synthetic_series",
			Help: "Synthetic series for large payload tests.",
		}, []string{"shard", "idx"})
		reg.MustRegister(synthetic)
		r := rand.New(rand.NewSource(*seed))
		for i := 0; i < *series; i++ {
			// idx looks like "000123-<uuid>": unique and poorly compressible,
			// as host IDs are in real Teleport labels. About 125 bytes a
			// line, so -series 40000 gives a payload of about 5 MB.
			idx := fmt.Sprintf("%06d-%08x-%04x-%04x-%04x-%012x", i,
				r.Uint32(), r.Uint32()&0xffff, r.Uint32()&0xffff,
				r.Uint32()&0xffff, r.Uint64()&0xffffffffffff)
			shard := fmt.Sprintf("shard-%02d.example.com", i%32)
			synthetic.WithLabelValues(shard, idx).Set(r.Float64() * 1000)
		}
	}

	if *hostile {
		h := prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "fixture_hostile",
			Help: hostileHelp,
		}, []string{"kind", "payload"})
		reg.MustRegister(h)
		for i, v := range hostileValues {
			h.WithLabelValues(v.kind, v.payload).Set(float64(i))
		}
	}

	wl := newWorkload(*seed, &state)
	wl.step() // every series exists from the first scrape on
	go wl.run()

	if *debug {
		runtime.SetBlockProfileRate(1)
		runtime.SetMutexProfileFraction(1)
		go burnCPU()
		startContention()
		startProfileWorkload()
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		replyJSON(w, http.StatusOK, map[string]interface{}{"status": "ok"})
	})
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		code, msg := http.StatusOK, "ok"
		switch atomic.LoadInt32(&state) {
		case stateDegraded:
			code, msg = http.StatusServiceUnavailable, "teleport is in a degraded state, check logs for details"
		case stateRecovering:
			code, msg = http.StatusBadRequest, "teleport is recovering from a degraded state, check logs for details"
		case stateStarting:
			code, msg = http.StatusBadRequest, "teleport is starting and hasn't joined the cluster yet"
		}
		if *oldReadyz {
			replyJSON(w, code, oldReadiness{Status: msg})
		} else {
			replyJSON(w, code, readiness{Status: msg, PID: os.Getpid()})
		}
	})
	metricsHandler := openMetrics100(promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		EnableOpenMetrics: true,
		ErrorLog:          logger,
	}))
	// POST /fixture/metrics-status?code=500 makes /metrics fail (0: answer again) while
	// /readyz and /healthz keep answering: a partial answer.
	var metricsStatus int32
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		if code := atomic.LoadInt32(&metricsStatus); code != 0 {
			http.Error(w, "metrics are broken on purpose", int(code))
			return
		}
		metricsHandler.ServeHTTP(w, r)
	})
	mux.HandleFunc("/fixture/fault", faultHandler)
	mux.HandleFunc("/fixture/metrics-status", func(w http.ResponseWriter, r *http.Request) {
		code, err := strconv.Atoi(r.FormValue("code"))
		if err != nil || (code != 0 && (code < 400 || code > 599)) {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintln(w, "code must be 0 or 400-599")
			return
		}
		atomic.StoreInt32(&metricsStatus, int32(code))
		fmt.Fprintln(w, code)
	})
	mux.HandleFunc("/fixture/state", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			fmt.Fprintln(w, stateNames[atomic.LoadInt32(&state)])
		case http.MethodPost, http.MethodPut:
			v := r.FormValue("value")
			s, ok := parseState(v)
			if !ok {
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprintf(w, "bad state %q: want ok, recovering, degraded or starting\n", v)
				return
			}
			atomic.StoreInt32(&state, s)
			processStateGauge.Set(float64(s))
			fmt.Fprintln(w, stateNames[s])
		default:
			w.Header().Set("Allow", "GET, HEAD, POST, PUT")
			w.WriteHeader(http.StatusMethodNotAllowed)
			fmt.Fprintln(w, "method not allowed")
		}
	})
	if *debug {
		mux.HandleFunc("/debug/pprof/", pprof.Index) // also heap, goroutine, block, mutex, ...
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", whileProfiling(pprof.Profile))
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", whileProfiling(pprof.Trace))
	}
	if *logStream > 0 {
		registerLogStream(mux, *logStream)
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.Printf("%s %s", r.Method, r.URL.RequestURI())
		mux.ServeHTTP(w, r)
	})

	var listeners []net.Listener
	var lines []string
	if *listen != "off" {
		ln, err := net.Listen("tcp", *listen)
		if err != nil {
			logger.Printf("godiag: %v", err)
			os.Exit(1)
		}
		scheme := "http"
		if *tlsCert != "" {
			ln, err = tlsListener(ln, *tlsCert, *tlsKey, *clientCA)
			if err != nil {
				logger.Printf("godiag: tls: %v", err)
				os.Exit(1)
			}
			scheme = "https"
		}
		listeners = append(listeners, ln)
		lines = append(lines, "LISTENING "+scheme+"://"+ln.Addr().String())
	}
	if *unixPath != "" {
		if fi, err := os.Lstat(*unixPath); err == nil && !fi.IsDir() {
			os.Remove(*unixPath) // stale socket from an earlier run
		}
		old := syscall.Umask(0o177) // no window where the socket is group/world accessible
		ln, err := net.Listen("unix", *unixPath)
		syscall.Umask(old)
		if err != nil {
			logger.Printf("godiag: %v", err)
			os.Exit(1)
		}
		if err := os.Chmod(*unixPath, 0o600); err != nil {
			logger.Printf("godiag: %v", err)
			os.Exit(1)
		}
		listeners = append(listeners, ln)
		lines = append(lines, "LISTENING unix:"+*unixPath)
	}

	exit := func() {
		if *unixPath != "" {
			os.Remove(*unixPath)
		}
		os.Exit(0)
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-sigs
		exit()
	}()

	srv := &http.Server{Handler: handler, ErrorLog: logger}
	for _, ln := range listeners {
		go func(ln net.Listener) {
			if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
				logger.Printf("godiag: serve: %v", err)
				os.Exit(1)
			}
		}(ln)
	}

	// os.Stdout is unbuffered: each line is written (flushed) as printed.
	for _, l := range lines {
		fmt.Fprintln(os.Stdout, l)
	}

	if *stdinWatch {
		go func() {
			io.Copy(io.Discard, os.Stdin)
			exit()
		}()
		// A stdin pipe whose write end leaked into another long-lived process
		// (a tmux server, another fixture) never reaches EOF: watch the
		// parent as well, so a test runner that exits never leaves us behind.
		parent := os.Getppid()
		go func() {
			for {
				time.Sleep(500 * time.Millisecond)
				if os.Getppid() != parent {
					exit()
				}
			}
		}()
	}
	select {}
}

// replyJSON writes obj as Teleport's roundtrip.ReplyJSON does: compact JSON,
// no trailing newline, Content-Type application/json.
func replyJSON(w http.ResponseWriter, code int, obj interface{}) {
	out, err := json.Marshal(obj)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	w.Write(out)
}

// openMetrics100 makes the Debian bookworm libraries (client_golang 1.14.0,
// prometheus/common 0.39.0) negotiate like the newer ones a Teleport 15 build
// uses. common 0.39 knows OpenMetrics 0.0.1 only, so a scraper asking for
// "application/openmetrics-text; version=1.0.0" would get the classic text
// format. Newer releases answer such a request with OpenMetrics and
// "Content-Type: application/openmetrics-text; version=1.0.0; charset=utf-8";
// the body is the same encoder's output for both versions. So: ask the old
// library for 0.0.1 in place of 1.0.0 and, when 1.0.0 was the preferred
// OpenMetrics version, relabel the response's Content-Type.
func openMetrics100(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		accept := r.Header.Get("Accept")
		rewritten, prefer100 := rewriteAccept(accept)
		if rewritten == accept {
			h.ServeHTTP(w, r)
			return
		}
		r2 := r.Clone(r.Context())
		r2.Header.Set("Accept", rewritten)
		if prefer100 {
			w = &omVersionWriter{ResponseWriter: w}
		}
		h.ServeHTTP(w, r2)
	})
}

// rewriteAccept turns OpenMetrics version=1.0.0 entries into version=0.0.1
// and reports whether a 1.0.0 entry had the highest q of the OpenMetrics ones
// (newer common maps a missing version to 0.0.1).
func rewriteAccept(accept string) (string, bool) {
	q100, qOther := -1.0, -1.0
	parts := strings.Split(accept, ",")
	changed := false
	for i, part := range parts {
		fields := strings.Split(part, ";")
		if strings.ToLower(strings.TrimSpace(fields[0])) != "application/openmetrics-text" {
			continue
		}
		q, is100 := 1.0, false
		for j, f := range fields[1:] {
			kv := strings.SplitN(f, "=", 2)
			if len(kv) != 2 {
				continue
			}
			k, v := strings.ToLower(strings.TrimSpace(kv[0])), strings.TrimSpace(kv[1])
			switch k {
			case "q":
				if x, err := strconv.ParseFloat(v, 64); err == nil {
					q = x
				}
			case "version":
				if v == "1.0.0" {
					is100 = true
					fields[j+1] = "version=0.0.1"
				}
			}
		}
		if is100 {
			parts[i] = strings.Join(fields, ";")
			changed = true
			if q > q100 {
				q100 = q
			}
		} else if q > qOther {
			qOther = q
		}
	}
	if !changed {
		return accept, false
	}
	return strings.Join(parts, ","), q100 > 0 && q100 >= qOther
}

// omVersionWriter relabels an OpenMetrics 0.0.1 Content-Type as 1.0.0 just
// before the header goes out.
type omVersionWriter struct {
	http.ResponseWriter
	done bool
}

func (w *omVersionWriter) fix() {
	if w.done {
		return
	}
	w.done = true
	const from = "application/openmetrics-text; version=0.0.1"
	if ct := w.Header().Get("Content-Type"); strings.HasPrefix(ct, from) {
		w.Header().Set("Content-Type", "application/openmetrics-text; version=1.0.0"+ct[len(from):])
	}
}

func (w *omVersionWriter) WriteHeader(code int) {
	w.fix()
	w.ResponseWriter.WriteHeader(code)
}

func (w *omVersionWriter) Write(b []byte) (int, error) {
	w.fix()
	return w.ResponseWriter.Write(b)
}

// workload moves the counters, histograms and summary every 50 ms so that
// rates between two scrapes are non-zero.
type workload struct {
	rng   *rand.Rand // used by one goroutine at a time only
	state *int32
	tick  int
}

func newWorkload(seed int64, state *int32) *workload {
	return &workload{rng: rand.New(rand.NewSource(seed)), state: state}
}

func (w *workload) run() {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for range t.C {
		w.step()
	}
}

// backendLatency is latency, 20 times slower while backend-slow is on.
func (w *workload) backendLatency() float64 {
	if faults.is("backend-slow") {
		return w.latency() * 20
	}
	return w.latency()
}

// latency is mostly 1-50 ms, sometimes up to half a second, rarely seconds.
func (w *workload) latency() float64 {
	p := w.rng.Float64()
	switch {
	case p < 0.95:
		return 0.001 + w.rng.Float64()*0.049
	case p < 0.99:
		return 0.05 + w.rng.Float64()*0.45
	default:
		return 1 + w.rng.Float64()*4
	}
}

var backendKeys = [][3]string{
	{"backend", "/nodes/default", "true"},
	{"backend", "/tokens", "false"},
	{"backend", "/authorities/host", "true"},
	{"backend", "/web/users", "false"},
	{"cache", "/nodes/default", "true"},
	{"cache", "/roles", "false"},
	{"cache", "/cluster_configuration/name", "false"},
}

var grpcMethods = [][3]string{
	{"unary", "proto.AuthService", "GetClusterName"},
	{"unary", "proto.AuthService", "UpsertNode"},
	{"unary", "proto.AuthService", "GetRoles"},
	{"server_stream", "proto.AuthService", "WatchEvents"},
	{"bidi_stream", "proto.AuthService", "InventoryControlStream"},
}

func (w *workload) step() {
	w.tick++
	r := w.rng
	degraded := atomic.LoadInt32(w.state) == stateDegraded

	for _, k := range backendKeys {
		backendRequests.WithLabelValues(k[0], k[1], k[2]).Add(float64(1 + r.Intn(3)))
	}
	for _, c := range []string{"backend", "cache"} {
		for i := 0; i < 2; i++ {
			backendReadSeconds.WithLabelValues(c).Observe(w.backendLatency())
		}
		backendWriteSeconds.WithLabelValues(c).Observe(w.backendLatency())
	}
	for _, m := range grpcMethods {
		code := "OK"
		if p := r.Float64(); degraded && p < 0.3 {
			code = "Unavailable"
		} else if m[2] == "UpsertNode" && faults.is("grpc-method-failing") && p < 0.6 {
			code = "Unavailable"
		} else if p < 0.03 {
			code = "NotFound"
		} else if p < 0.04 {
			code = "PermissionDenied"
		}
		grpcServerHandled.WithLabelValues(m[0], m[1], m[2], code).Inc()
		// Make sure the common codes exist from the first scrape.
		grpcServerHandled.WithLabelValues(m[0], m[1], m[2], "OK").Add(0)
	}
	for _, m := range []string{"GetNode", "UpsertNode", "WatchEvents"} {
		rpcDuration.WithLabelValues(m).Observe(w.latency())
	}
	if w.tick%20 == 1 {
		userLogins.Inc()
	}
	if degraded {
		heartbeatsMissed.Set(float64(3 + r.Intn(3)))
	} else if r.Float64() < 0.05 {
		heartbeatsMissed.Set(1)
	} else {
		heartbeatsMissed.Set(0)
	}
	if faults.is("tunnels-dropping") {
		connectedResources.WithLabelValues("node").Set(2)
	} else {
		connectedResources.WithLabelValues("node").Set(float64(10 + r.Intn(5)))
	}
	w.faultStep()
	connectedResources.WithLabelValues("kube").Set(float64(3))
	connectedResources.WithLabelValues("db").Set(float64(4 + r.Intn(2)))
}

// profiling counts the CPU profiles and traces being served: the burners
// below only run while it is above zero.
var profiling int32

func whileProfiling(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		atomic.AddInt32(&profiling, 1)
		defer atomic.AddInt32(&profiling, -1)
		h(w, r)
	}
}

// waitForProfile sleeps until a CPU profile or trace is in progress.
func waitForProfile() {
	for atomic.LoadInt32(&profiling) == 0 {
		time.Sleep(20 * time.Millisecond)
	}
}

// burnCPU spins a deterministic hashing loop about 20% of the time while a
// CPU profile is taken, so that /debug/pprof/profile has samples (in a
// function named burnCPU).
func burnCPU() {
	var sum [32]byte
	for {
		waitForProfile()
		deadline := time.Now().Add(20 * time.Millisecond)
		for time.Now().Before(deadline) {
			for i := 0; i < 1000; i++ {
				sum = sha256.Sum256(sum[:])
			}
		}
		time.Sleep(80 * time.Millisecond)
	}
}

// burnRecursive hashes at the bottom of a recursion of the given depth, so
// that CPU profiles contain recursive stacks (pprof counts a recursive
// function once per sample in its cum column).
//
//go:noinline
func burnRecursive(depth int, sum *[32]byte) {
	if depth > 0 {
		burnRecursive(depth-1, sum)
		return
	}
	for i := 0; i < 200; i++ {
		*sum = sha256.Sum256(sum[:])
	}
}

// Live heap and parked goroutines for the heap, allocs and goroutine
// profiles: retainedLarge and retainedSmall stay reachable for the life of
// the process; churn allocates and drops memory all the time.
var (
	retainedMu    sync.Mutex
	retainedLarge [][]byte
	retainedSmall []*[64]byte
)

// startProfileWorkload keeps about 16 MB of heap live (from two allocation
// sites of different sizes), churns allocations, recurses on the CPU (while a
// CPU profile is taken), and
// parks goroutines in three distinct stacks (5, 3 and 2 of them), so that
// every profile kind has samples and grouped goroutine stacks have counts
// above one.
func startProfileWorkload() {
	retainLarge(32, 512<<10)
	retainSmall(4096)
	go churn()
	go func() {
		var sum [32]byte
		for {
			waitForProfile()
			deadline := time.Now().Add(10 * time.Millisecond)
			for time.Now().Before(deadline) {
				burnRecursive(8, &sum)
			}
			time.Sleep(90 * time.Millisecond)
		}
	}()
	never := make(chan struct{})
	for i := 0; i < 5; i++ {
		go parkedOnChannel(never)
	}
	for i := 0; i < 3; i++ {
		go parkedInSelect(never)
	}
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	for i := 0; i < 2; i++ {
		go parkedOnCond(cond)
	}
}

//go:noinline
func retainLarge(n, size int) {
	retainedMu.Lock()
	defer retainedMu.Unlock()
	for i := 0; i < n; i++ {
		b := make([]byte, size)
		b[0] = byte(i)
		retainedLarge = append(retainedLarge, b)
	}
}

//go:noinline
func retainSmall(n int) {
	retainedMu.Lock()
	defer retainedMu.Unlock()
	for i := 0; i < n; i++ {
		retainedSmall = append(retainedSmall, new([64]byte))
	}
}

// churn allocates short-lived buffers so the allocs profile grows.
func churn() {
	var keep []byte
	for i := 0; ; i++ {
		keep = make([]byte, 32<<10)
		keep[0] = byte(i)
		time.Sleep(20 * time.Millisecond)
	}
}

//go:noinline
func parkedOnChannel(ch chan struct{}) { <-ch }

//go:noinline
func parkedInSelect(ch chan struct{}) {
	select {
	case <-ch:
	case <-time.After(24 * time.Hour):
	}
}

//go:noinline
func parkedOnCond(c *sync.Cond) {
	c.L.Lock()
	c.Wait()
	c.L.Unlock()
}

// startContention starts goroutines that fight over a mutex (mutex profile)
// and wait on an unbuffered channel (block profile).
func startContention() {
	var mu sync.Mutex
	shared := 0
	for i := 0; i < 3; i++ {
		go func() {
			for {
				mu.Lock()
				shared++
				time.Sleep(2 * time.Millisecond) // hold it so others wait
				mu.Unlock()
				time.Sleep(time.Millisecond)
			}
		}()
	}
	ch := make(chan int)
	go func() {
		for i := 0; ; i++ {
			time.Sleep(10 * time.Millisecond)
			ch <- i
		}
	}()
	go func() {
		for v := range ch {
			_ = strconv.Itoa(v)
		}
	}()
}

// tlsListener wraps ln in TLS with the given certificate; with a client CA it requires
// and verifies client certificates (mutual TLS).
func tlsListener(ln net.Listener, certFile, keyFile, clientCAFile string) (net.Listener, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, err
	}
	config := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if clientCAFile != "" {
		pem, err := os.ReadFile(clientCAFile)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("no certificate in %s", clientCAFile)
		}
		config.ClientCAs = pool
		config.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return tls.NewListener(ln, config), nil
}
