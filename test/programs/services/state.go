package main

// The state a service keeps at package level: sessions by UUID (and in an LRU), an object
// cache whose items hold interface values, one small map per request, a big catalog, open
// connections in a sync.Map, and its routes.

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/patrickmn/go-cache"
)

// Session is what a service keeps per signed-in user.
type Session struct {
	ID      uuid.UUID
	User    string
	Email   string
	Logins  int
	Created int64
	Attrs   map[string]string
}

// Profile is cached by value: boxed in the cache item's interface.
type Profile struct {
	Name    string
	Country string
	Plan    string
}

// Request is one request the service has seen, with its own small map of headers.
type Request struct {
	ID      uuid.UUID
	Method  string
	Path    string
	Status  int
	Headers map[string]string
}

// Product is an entry of the big catalog.
type Product struct {
	SKU   string
	Title string
	Price int
	Stock int
}

// connInfo is kept in a sync.Map only.
type connInfo struct {
	remote string
	opened int64
	labels map[string]string
}

var (
	sessions   map[uuid.UUID]*Session
	admin      *Session // one of sessions, named
	sessionLRU *lru.Cache[string, *Session]
	objects    *cache.Cache
	requests   map[uuid.UUID]*Request
	lastReq    *Request // one of requests, named
	catalog    map[string]*Product
	liveConns  sync.Map
	routes     map[string]http.HandlerFunc
	drained    map[string]int // nil: a map the service has not made yet
)

// epoch keeps the timestamps the program stores stable from one run to the next.
var epoch = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC).UnixNano()

// sessionNS names the deterministic UUIDs of sessions and requests.
var sessionNS = uuid.MustParse("6ba7b811-9dad-11d1-80b4-00c04fd430c8")

func fillSessions(n int) {
	sessions = make(map[uuid.UUID]*Session)
	ordered := make([]*Session, n)
	for i := 0; i < n; i++ {
		s := &Session{
			ID:      uuid.NewSHA1(sessionNS, []byte(fmt.Sprintf("session-%d", i))),
			User:    fmt.Sprintf("user%04d", i),
			Email:   fmt.Sprintf("user%04d@example.com", i),
			Logins:  i % 17,
			Created: epoch + int64(i)*int64(time.Second),
			Attrs:   map[string]string{"locale": []string{"en-US", "de-DE", "fr-FR"}[i%3], "theme": "dark"},
		}
		if i%4 == 0 {
			s.Attrs["beta"] = "true"
		}
		sessions[s.ID] = s
		ordered[i] = s
	}
	admin = ordered[0]
	admin.Attrs["role"] = "admin"
	// The LRU keeps the most recent half: the first half was evicted as the rest came in.
	var err error
	sessionLRU, err = lru.New[string, *Session](n / 2)
	if err != nil {
		fatalf("lru.New: %v", err)
	}
	for _, s := range ordered {
		sessionLRU.Add(s.User, s)
	}
}

// fillObjects fills the object cache with items of five dynamic types, round robin: a struct
// of strings (boxed), a string, an int, a pointer to a session, a []byte. Profiles expire
// (their Expiration is a UnixNano, past 2^53), the rest never do.
func fillObjects(n int) {
	objects = cache.New(time.Hour, 10*time.Minute) // the janitor only wakes every 10 minutes
	users := make([]*Session, 0, len(sessions))
	users = append(users, admin)
	for _, s := range sessions {
		if s != admin {
			users = append(users, s)
		}
	}
	for i := 0; i < n; i++ {
		switch i % 5 {
		case 0:
			objects.SetDefault(fmt.Sprintf("profile:%d", i), Profile{Name: fmt.Sprintf("Name %d", i), Country: []string{"DE", "US", "JP"}[i%3], Plan: "pro"})
		case 1:
			objects.Set(fmt.Sprintf("greeting:%d", i), fmt.Sprintf("hello, visitor %d", i), cache.NoExpiration)
		case 2:
			objects.Set(fmt.Sprintf("counter:%d", i), i*31, cache.NoExpiration)
		case 3:
			objects.Set(fmt.Sprintf("session:%d", i), users[i%len(users)], cache.NoExpiration)
		case 4:
			objects.Set(fmt.Sprintf("blob:%d", i), []byte(fmt.Sprintf("payload-%d", i)), cache.NoExpiration)
		}
	}
}

var headerNames = []string{"Content-Type", "User-Agent", "X-Request-Id", "Accept"}

func fillRequests(n int) {
	requests = make(map[uuid.UUID]*Request)
	for i := 0; i < n; i++ {
		r := &Request{
			ID:      uuid.NewSHA1(sessionNS, []byte(fmt.Sprintf("request-%d", i))),
			Method:  []string{"GET", "POST", "PUT"}[i%3],
			Path:    fmt.Sprintf("/api/v1/items/%d", i%977),
			Status:  []int{200, 201, 404, 500}[i%4],
			Headers: make(map[string]string, 4),
		}
		for j := 0; j < 2+i%3; j++ {
			r.Headers[headerNames[j]] = fmt.Sprintf("%s-%d", headerNames[j], i)
		}
		requests[r.ID] = r
		lastReq = r
	}
}

func fillCatalog(n int) {
	catalog = make(map[string]*Product)
	for i := 0; i < n; i++ {
		sku := fmt.Sprintf("sku-%07d", i)
		catalog[sku] = &Product{SKU: sku, Title: fmt.Sprintf("Product %d", i), Price: 100 + i%10000, Stock: i % 50}
	}
}

// fillConns puts connections and some sessions in a sync.Map, which top walks through.
func fillConns() {
	for i := 0; i < 16; i++ {
		liveConns.Store(fmt.Sprintf("conn-%d", i), &connInfo{remote: fmt.Sprintf("127.0.0.1:%d", 40000+i), opened: epoch, labels: map[string]string{"tls": "1.3", "id": fmt.Sprint(i)}})
	}
	liveConns.Store("admin", admin)
	liveConns.Store(42, "an int key")
}
