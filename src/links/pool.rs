//! Runs a check over many URLs on a bounded pool of threads, never more
//! than a given number at once against one host.

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, PoisonError};

/// How many checks run at once.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub jobs: usize,
    pub per_host: usize,
}

/// The URLs not yet taken, by host, and the hosts that may take one now:
/// a host is in `ready` exactly when it has URLs left and a free slot.
struct Queue {
    pending: HashMap<String, VecDeque<usize>>,
    busy: HashMap<String, usize>,
    ready: VecDeque<String>,
    left: usize,
}

impl Queue {
    fn new(hosts: &[String]) -> Self {
        let mut pending: HashMap<String, VecDeque<usize>> = HashMap::new();
        let mut ready = VecDeque::new();
        for (index, host) in hosts.iter().enumerate() {
            let urls = pending.entry(host.clone()).or_default();
            if urls.is_empty() {
                ready.push_back(host.clone());
            }
            urls.push_back(index);
        }
        let busy = HashMap::new();
        Self {
            pending,
            busy,
            ready,
            left: hosts.len(),
        }
    }

    /// The next URL of the first ready host.
    fn take(&mut self, per_host: usize) -> Option<(usize, String)> {
        let host = self.ready.pop_front()?;
        let index = self.pending.get_mut(&host)?.pop_front()?;
        self.left -= 1;
        let busy = self.busy.entry(host.clone()).or_default();
        *busy += 1;
        let more = self.pending.get(&host).is_some_and(|urls| !urls.is_empty());
        if more && *busy < per_host {
            self.ready.push_back(host.clone());
        }
        Some((index, host))
    }

    /// A check against `host` is over: its slot is free again.
    fn finish(&mut self, host: &str, per_host: usize) {
        let Some(busy) = self.busy.get_mut(host) else {
            return;
        };
        let was_full = *busy >= per_host;
        *busy = busy.saturating_sub(1);
        let more = self.pending.get(host).is_some_and(|urls| !urls.is_empty());
        if was_full && more {
            self.ready.push_back(host.to_owned());
        }
    }
}

/// `check(url)` for every URL, results in the URLs' order; `done` is
/// called after each one (for a progress bar).
pub fn run<T, C, D>(urls: &[String], bounds: Bounds, check: C, done: D) -> Vec<Option<T>>
where
    T: Send,
    C: Fn(&str) -> T + Sync,
    D: Fn() + Sync,
{
    let hosts: Vec<String> = urls.iter().map(|url| host(url)).collect();
    let queue = Mutex::new(Queue::new(&hosts));
    let ready = Condvar::new();
    let results = Mutex::new((0..urls.len()).map(|_| None).collect::<Vec<_>>());
    let per_host = bounds.per_host.max(1);
    let workers = bounds.jobs.clamp(1, urls.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some((index, host)) = next(&queue, &ready, per_host) {
                    let result = urls.get(index).map(|url| check(url));
                    let mut results = results.lock().unwrap_or_else(PoisonError::into_inner);
                    if let (Some(slot), Some(result)) = (results.get_mut(index), result) {
                        *slot = Some(result);
                    }
                    drop(results);
                    let mut queue = queue.lock().unwrap_or_else(PoisonError::into_inner);
                    queue.finish(&host, per_host);
                    drop(queue);
                    ready.notify_all();
                    done();
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(PoisonError::into_inner)
}

/// The next URL whose host has a free slot, waiting for one; `None` when
/// every URL has been taken.
fn next(queue: &Mutex<Queue>, ready: &Condvar, per_host: usize) -> Option<(usize, String)> {
    let mut queue = queue.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        if queue.left == 0 {
            return None;
        }
        if let Some(taken) = queue.take(per_host) {
            return Some(taken);
        }
        queue = ready.wait(queue).unwrap_or_else(PoisonError::into_inner);
    }
}

/// The host and port a URL connects to (the whole text when it has none).
fn host(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|url| {
            Some(format!(
                "{}:{}",
                url.host_str()?,
                url.port_or_known_default()?
            ))
        })
        .unwrap_or_else(|| url.to_owned())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[test]
    fn no_more_than_per_host_checks_run_at_once_against_one_host() {
        let urls: Vec<String> = (0..12)
            .map(|i| format!("https://{}.example/{i}", if i % 3 == 0 { "b" } else { "a" }))
            .collect();
        let running: Mutex<HashMap<String, usize>> = Mutex::default();
        let most = AtomicUsize::new(0);
        let bounds = Bounds {
            jobs: 8,
            per_host: 2,
        };
        let results = run(
            &urls,
            bounds,
            |url| {
                let key = host(url);
                let now = {
                    let mut running = running.lock().unwrap();
                    let count = running.entry(key.clone()).or_default();
                    *count += 1;
                    *count
                };
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(20));
                *running.lock().unwrap().get_mut(&key).unwrap() -= 1;
                url.len()
            },
            || {},
        );
        assert!(most.load(Ordering::SeqCst) <= 2);
        let lengths: Vec<Option<usize>> = urls.iter().map(|url| Some(url.len())).collect();
        assert_eq!(results, lengths);
    }
}
