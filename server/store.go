package server

import (
	"container/heap"
	"time"
)

// projectMap is a per-project map of records; each service's store embeds
// one and guards it with its mutex ("call with mu held" below). A record that will never be visible again
// (or whose retention ends) is scheduled with expireAt and removed by the
// first sweep at or after that time, so memory and the cost of a list
// follow the records that can still be seen, not every record ever made.
type projectMap[T any] struct {
	byProject map[string]*records[T]
	due       expiryQueue
}

// records are one project's records. peak is the most the map has held
// since it was last rebuilt: a Go map keeps its buckets after deletes, so
// iterating it would cost what it once held, not what it holds.
type records[T any] struct {
	m    map[string]T
	peak int
}

func newProjectMap[T any]() projectMap[T] {
	return projectMap[T]{byProject: map[string]*records[T]{}}
}

// get returns the record id of project, if any. Call with mu held.
func (m *projectMap[T]) get(project, id string) (T, bool) {
	var v T
	r := m.byProject[project]
	if r == nil {
		return v, false
	}
	v, ok := r.m[id]
	return v, ok
}

// put stores a record. Call with mu held.
func (m *projectMap[T]) put(project, id string, v T) {
	r := m.byProject[project]
	if r == nil {
		r = &records[T]{m: map[string]T{}}
		m.byProject[project] = r
	}
	r.m[id] = v
	r.peak = max(r.peak, len(r.m))
}

// all returns the project's records; iterating it costs what the project
// holds now. Call with mu held.
func (m *projectMap[T]) all(project string) map[string]T {
	if r := m.byProject[project]; r != nil {
		return r.m
	}
	return nil
}

// count returns how many records project holds. Call with mu held.
func (m *projectMap[T]) count(project string) int {
	if r := m.byProject[project]; r != nil {
		return len(r.m)
	}
	return 0
}

// remove deletes a record, drops a project that has none left, and
// rebuilds a map that holds a quarter of its peak or less (amortised O(1)
// per delete). Call with mu held.
func (m *projectMap[T]) remove(project, id string) {
	r := m.byProject[project]
	if r == nil {
		return
	}
	delete(r.m, id)
	switch n := len(r.m); {
	case n == 0:
		delete(m.byProject, project)
	case r.peak >= minRebuild && n*4 <= r.peak:
		fresh := make(map[string]T, n)
		for k, v := range r.m {
			fresh[k] = v
		}
		r.m, r.peak = fresh, n
	}
}

// minRebuild is the peak below which a map is never rebuilt: small maps
// cost little to iterate whatever they once held.
const minRebuild = 64

// expireAt schedules the record id of project for removal at at. Call
// with mu held.
func (m *projectMap[T]) expireAt(project, id string, at time.Time) {
	heap.Push(&m.due, expiry{at: at, project: project, key: id})
}

// sweep removes every record whose time has come. Each store calls it,
// with mu held, before it reads or writes, so reclaiming is driven by the
// server's clock (a ManualClock in tests) and needs no goroutine.
func (m *projectMap[T]) sweep(now time.Time) {
	m.due.popDue(now, m.remove)
}

// expiry is a scheduled removal.
type expiry struct {
	at           time.Time
	project, key string
}

// expiryQueue is a min-heap of removals by time (container/heap).
type expiryQueue []expiry

func (q expiryQueue) Len() int           { return len(q) }
func (q expiryQueue) Less(i, j int) bool { return q[i].at.Before(q[j].at) }
func (q expiryQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *expiryQueue) Push(x any)        { *q = append(*q, x.(expiry)) }
func (q *expiryQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	old[len(old)-1] = expiry{}
	*q = old[:len(old)-1]
	return x
}

// popDue removes the removals due at now and calls remove for each.
func (q *expiryQueue) popDue(now time.Time, remove func(project, key string)) {
	for q.Len() > 0 && !(*q)[0].at.After(now) {
		e := heap.Pop(q).(expiry)
		remove(e.project, e.key)
	}
}
