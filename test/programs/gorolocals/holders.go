package main

// One function per goroutine state. Each holds its map in a local (or a parameter) that is
// still used after the blocking point (runtime.KeepAlive), so the compiler keeps it in the
// function's stack frame across the call that blocks: that is where a debugger finds it.

import (
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var (
	// Nobody ever sends or receives on these but the one holder each.
	recvOnly  = make(chan int)
	sendOnly  = make(chan int)
	paramOnly = make(chan int)
	mu        sync.Mutex
	stopSpin  atomic.Bool
	spinCount uint64
)

// state is reached through a pointer local, for field paths (`st.byID`).
type state struct {
	label string
	byID  map[int]string
}

// startHolders starts every holder goroutine; in crash mode also the crasher, which panics
// once the returned channel is closed.
func startHolders(crash bool) chan struct{} {
	mu.Lock() // held for ever: mutexHolder blocks on it
	go recvHolder()
	go sendHolder()
	go selectHolder()
	go mutexHolder()
	go sleepHolder()
	go syscallHolder()
	go busyHolder()
	cfg := fillStringInt(7, "cfg")
	go paramHolder(cfg)
	go setHolder(stringKeys(22), func(s string) int { return len(s) * 10 }, genericStringOnly)
	go setHolder(pairKeys(11), func(k pairKey) string { return k.Name + "!" }, genericPairOnly)
	go shapeHolder(fillStringInt(13, "shape"), shapeOnly)
	trigger := make(chan struct{})
	if crash {
		go crashHolder(trigger)
	}
	return trigger
}

func recvHolder() {
	m := fillIntString(3, "recv")
	// Taking m's address moves the variable itself to the heap: Go's DWARF then describes
	// `&m`, a pointer to it, which mapscope follows.
	escape(&m)
	report("chan receive", local("m", m))
	<-recvOnly
	runtime.KeepAlive(m)
}

func sendHolder() {
	m := fillStringInt(9, "send")
	report("chan send", local("m", m))
	sendOnly <- 1
	runtime.KeepAlive(m)
}

func selectHolder() {
	m := fillIntString(17, "select")
	st := &state{label: "select", byID: fillIntString(5, "byID")}
	escape(st) // on the heap, so that st is a pointer variable of the frame
	report("select", local("m", m), local("st.byID", st.byID))
	a, b := make(chan int), make(chan int)
	select {
	case <-a:
	case <-b:
	}
	runtime.KeepAlive(m)
	runtime.KeepAlive(st)
}

func mutexHolder() {
	m := fillStringInt(33, "mutex")
	report("mutex", local("m", m))
	mu.Lock()
	runtime.KeepAlive(m)
}

func sleepHolder() {
	m := fillIntString(65, "sleep")
	report("sleep", local("m", m))
	time.Sleep(24 * time.Hour)
	runtime.KeepAlive(m)
}

// syscallHolder blocks in read(2) on a pipe nobody writes: status syscall, on its own thread.
func syscallHolder() {
	m := fillIntString(100, "syscall")
	var fds [2]int
	if err := syscall.Pipe(fds[:]); err != nil {
		fatalf("pipe: %v", err)
	}
	report("syscall", local("m", m))
	buf := make([]byte, 1)
	syscall.Read(fds[0], buf)
	runtime.KeepAlive(m)
}

// busyHolder spins in a callee, so that its own frame keeps m on the stack while the goroutine
// runs on an OS thread. The thread is its own and runs at the lowest priority, so that the
// spinning leaves the CPU to the debugger whenever it wants it.
func busyHolder() {
	m := fillStringInt(129, "busy")
	runtime.LockOSThread()
	syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), 19)
	report("running", local("m", m))
	spin()
	runtime.KeepAlive(m)
}

//go:noinline
func spin() {
	start := time.Now()
	for !stopSpin.Load() {
		spinCount++
		if spinCount%(1<<26) == 0 && time.Since(start) > 10*time.Minute {
			fatalf("nobody stopped me in 10 minutes")
		}
	}
}

// paramHolder holds its map as a parameter, not a local.
func paramHolder(cfg map[string]int) {
	report("chan receive", local("cfg", cfg))
	<-paramOnly
	runtime.KeepAlive(cfg)
}

// crashHolder panics in a callee while its map is live in its own frame: the goroutine that
// crashed, whose locals a core dump must still show.
func crashHolder(trigger chan struct{}) {
	m := fillIntString(257, "crash")
	report("running", local("m", m))
	<-trigger
	explode(len(m))
	runtime.KeepAlive(m)
}

//go:noinline
func explode(n int) {
	panic("gorolocals: crash for core dump")
}
