package main

// A net/http server on a loopback listener, whose handler keeps per-client state in a map
// behind a mutex. Before READY the program is its own client: it is served to completion on
// /track, and leaves nSlow requests parked in the /slow handler, blocked on a channel with
// maps in their locals.

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

const nSlow = 3

type clientState struct {
	Addr     string
	Requests int
	Paths    map[string]int
}

type api struct {
	mu      sync.Mutex
	clients map[string]*clientState
	// release is never closed: the /slow handlers wait on it for ever.
	release chan struct{}
	parked  chan goroutineTruth
}

var (
	server *http.Server
	svc    *api
)

func startServer(clients int) []goroutineTruth {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fatalf("listen: %v", err)
	}
	svc = &api{clients: make(map[string]*clientState), release: make(chan struct{}), parked: make(chan goroutineTruth, nSlow)}
	routes = map[string]http.HandlerFunc{"/track": svc.track, "/slow": svc.slow, "/health": health}
	mux := http.NewServeMux()
	for p, h := range routes {
		mux.HandleFunc(p, h)
	}
	// ConnState reports a connection closed once the server has let go of it (activeConn).
	var closed atomic.Int64
	server = &http.Server{Handler: mux, ReadHeaderTimeout: time.Minute, ConnState: func(_ net.Conn, st http.ConnState) {
		if st == http.StateClosed {
			closed.Add(1)
		}
	}}
	go server.Serve(ln)
	base := "http://" + ln.Addr().String()

	// One connection per request, closed when it is served: no idle connection is left to
	// time out, and change the server's or the transport's maps, while mapscope reads them.
	done := &http.Client{Timeout: time.Minute, Transport: &http.Transport{DisableKeepAlives: true}}
	served := int64(0)
	for i := 0; i < clients; i++ {
		for page := 0; page <= i%3; page++ {
			call(done, fmt.Sprintf("%s/track?client=client-%03d&page=%d", base, i, page), 204)
			served++
		}
	}
	for deadline := time.Now().Add(20 * time.Second); closed.Load() < served; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			fatalf("the server closed %d of %d connections", closed.Load(), served)
		}
	}
	// No timeout: a parked request's client waits as long as its handler does.
	waiting := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for i := 0; i < nSlow; i++ {
		req, err := http.NewRequest("GET", fmt.Sprintf("%s/slow?client=slow-%d&order=%d&trace=t%d", base, i, 1000+i, i), nil)
		if err != nil {
			fatalf("request: %v", err)
		}
		req.Header.Set("X-Trace", fmt.Sprintf("trace-%d", i))
		go waiting.Do(req) // its response never comes
	}
	out := make([]goroutineTruth, nSlow)
	for i := range out {
		out[i] = <-svc.parked
	}
	return out
}

func call(c *http.Client, url string, want int) {
	resp, err := c.Get(url)
	if err != nil {
		fatalf("GET %s: %v", url, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		fatalf("GET %s: status %d, want %d", url, resp.StatusCode, want)
	}
}

// touch records a request of client id on path and returns its state.
func (a *api) touch(id, addr, path string) *clientState {
	a.mu.Lock()
	defer a.mu.Unlock()
	st := a.clients[id]
	if st == nil {
		st = &clientState{Addr: addr, Paths: make(map[string]int)}
		a.clients[id] = st
	}
	st.Requests++
	st.Paths[path]++
	return st
}

func (a *api) track(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	a.touch(q.Get("client"), r.RemoteAddr, r.URL.Path+"?page="+q.Get("page"))
	w.WriteHeader(http.StatusNoContent)
}

// slow holds a map of the query's parameters, its client's state and the request's headers
// while it waits on a channel nobody closes.
func (a *api) slow(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	params := make(map[string]string, len(q))
	for k, v := range q {
		params[k] = v[0]
	}
	escape(params)
	st := a.touch(params["client"], r.RemoteAddr, r.URL.Path)
	a.parked <- here("chan receive", local("params", params), local("st.Paths", st.Paths), local("r.Header", r.Header))
	<-a.release
	runtime.KeepAlive(params)
	runtime.KeepAlive(st)
	runtime.KeepAlive(r)
	w.WriteHeader(http.StatusOK)
}

func health(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) }
