//! Freed memory handed back to the system between the phases of a
//! publish, and texts read ahead of their writers ([`ReadAhead`]).
//!
//! The binary allocates with mimalloc (`main.rs`), which keeps a freed page
//! for the thread that allocated it. The entries checked file by file on
//! the pool's threads and freed once gathered into one list would stay
//! resident beside it: about 40 MB at 100,000 entries, a fifth of the peak
//! (bench/RESULTS.md). [`release_freed`] runs where a phase has just freed
//! that much.

/// Returns the memory freed so far, on every thread of the pool and on
/// this one, to the system. Under another global allocator (the tests'),
/// mimalloc's heaps are empty and this does next to nothing.
pub(crate) fn release_freed() {
    rayon::broadcast(|_| collect());
    collect();
}

fn collect() {
    // SAFETY: `mi_collect` takes no pointer; it only frees and purges the
    // calling thread's pages that hold no live allocation.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

/// Texts read ahead of their writers, a byte of each cache line, in a
/// loop with nothing else to wait for (issue 5). Texts long out of the
/// processor's caches, read so, have many lines fetched at once, where a
/// writer would wait for each in turn.
#[derive(Default)]
pub(crate) struct ReadAhead(u8);

impl ReadAhead {
    pub(crate) fn read(&mut self, text: &str) {
        for byte in text.as_bytes().iter().step_by(64) {
            self.0 ^= byte;
        }
    }
}

impl Drop for ReadAhead {
    fn drop(&mut self) {
        // What was read is kept, or the reads would not be made.
        std::hint::black_box(self.0);
    }
}
