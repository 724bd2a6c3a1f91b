package main

// Families a real Teleport has and the base fixture lacked, named and typed as Teleport
// names them, and fault switches that move them as Teleport's trouble does while
// process_state stays ok:
//
//	POST /fixture/fault?name=NAME&on=1|0[&after=SECONDS]   (GET lists the faults on)
//	-fault NAME[,NAME...]                  faults on from the start
//
// Faults: backend-slow (backend read and write latency x20), cache-stale (40% of
// cache events stale), tunnels-dropping (connected resources and reverse tunnels fall
// to a sixth), goroutines-leaking (20 parked goroutines more every second), audit-failing
// (a third of audit emits fail), grpc-method-failing (UpsertNode answers Unavailable 60%).

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var faultNames = []string{"backend-slow", "cache-stale", "tunnels-dropping", "goroutines-leaking", "audit-failing", "grpc-method-failing"}

type faultSet struct {
	mu sync.Mutex
	on map[string]bool
}

var faults = &faultSet{on: map[string]bool{}}

func (f *faultSet) set(name string, on bool) bool {
	known := false
	for _, n := range faultNames {
		if n == name {
			known = true
		}
	}
	if !known {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if name == "goroutines-leaking" && f.on[name] && !on {
		releaseLeaked()
	}
	f.on[name] = on
	return true
}

func (f *faultSet) is(name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.on[name]
}

func (f *faultSet) list() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for n, on := range f.on {
		if on {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

var (
	// Teleport names these counters without the _total suffix.
	cacheEvents = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "teleport",
		Name:      "cache_events",
		Help:      "Number of events received by a Teleport service cache. Teleport's Auth Service, Proxy Service, and other services cache incoming events related to their service.",
	}, []string{"cache_component"})
	cacheStaleEvents = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "teleport",
		Name:      "cache_stale_events",
		Help:      "Number of stale events received by a Teleport service cache. A high percentage of stale events can indicate a degraded backend.",
	}, []string{"cache_component"})
	auditEmitEvents = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: "teleport",
		Name:      "audit_emit_events",
		Help:      "Number of audit events emitted",
	})
	auditFailedEmit = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "audit_failed_emit_events",
		Help: "Number of times emitting audit event failed.",
	})
	reverseTunnels = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: "teleport",
		Name:      "reverse_tunnels_connected",
		Help:      "Number of reverse SSH tunnels connected to the Teleport Proxy Service by Teleport instances.",
	}, []string{"type"})
)

func faultCollectors() []prometheus.Collector {
	return []prometheus.Collector{cacheEvents, cacheStaleEvents, auditEmitEvents, auditFailedEmit, reverseTunnels}
}

// leaked holds the goroutines the goroutines-leaking fault parks; switching the fault off
// releases them (as the fix of a leak would), so the count falls back.
var (
	leakedMu sync.Mutex
	leaked   = make(chan struct{})
)

func releaseLeaked() {
	leakedMu.Lock()
	defer leakedMu.Unlock()
	close(leaked)
	leaked = make(chan struct{})
}

// leakLoop parks 20 goroutines a second while goroutines-leaking is on.
func leakLoop() {
	for range time.Tick(time.Second) {
		if faults.is("goroutines-leaking") {
			leakedMu.Lock()
			park := leaked
			leakedMu.Unlock()
			for i := 0; i < 20; i++ {
				go func() { <-park }()
			}
		}
	}
}

func faultHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		fmt.Fprintln(w, strings.Join(faults.list(), ","))
		return
	}
	name := r.FormValue("name")
	on := r.FormValue("on") != "0"
	// after=SECONDS switches it by the fixture's own clock: a test on a loaded machine
	// schedules its faults at once instead of waking up on time to send them.
	if after, err := strconv.ParseFloat(r.FormValue("after"), 64); err == nil && after > 0 {
		known := false
		for _, f := range faultNames {
			known = known || f == name
		}
		if !known {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, "bad fault %q: want one of %s\n", name, strings.Join(faultNames, ", "))
			return
		}
		time.AfterFunc(time.Duration(after*float64(time.Second)), func() { faults.set(name, on) })
		fmt.Fprintf(w, "%s scheduled in %gs\n", name, after)
		return
	}
	if !faults.set(name, on) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, "bad fault %q: want one of %s\n", name, strings.Join(faultNames, ", "))
		return
	}
	fmt.Fprintln(w, strings.Join(faults.list(), ","))
}

// faultStep moves the new families every workload step (50 ms), as the faults on say.
func (w *workload) faultStep() {
	r := w.rng
	for _, c := range []string{"auth", "proxy"} {
		n := float64(2 + r.Intn(3))
		cacheEvents.WithLabelValues(c).Add(n)
		if faults.is("cache-stale") {
			cacheStaleEvents.WithLabelValues(c).Add(n * 0.4)
		} else {
			cacheStaleEvents.WithLabelValues(c).Add(0)
		}
	}
	auditEmitEvents.Add(1)
	if faults.is("audit-failing") && r.Float64() < 0.33 {
		auditFailedEmit.Inc()
	} else {
		auditFailedEmit.Add(0)
	}
	tunnels := float64(12 + r.Intn(2))
	if faults.is("tunnels-dropping") {
		tunnels = 2
	}
	reverseTunnels.WithLabelValues("node").Set(tunnels)
}
