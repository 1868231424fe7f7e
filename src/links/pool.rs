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

struct Queue {
    pending: VecDeque<usize>,
    busy: HashMap<String, usize>,
}

/// `check(url)` for every URL, results in the URLs' order; `done` is
/// called after each one (for a progress bar).
pub fn run<T, C, D>(urls: &[String], bounds: Bounds, check: C, done: D) -> Vec<Option<T>>
where
    T: Send,
    C: Fn(&str) -> T + Sync,
    D: Fn() + Sync,
{
    let queue = Mutex::new(Queue {
        pending: (0..urls.len()).collect(),
        busy: HashMap::new(),
    });
    let ready = Condvar::new();
    let results = Mutex::new((0..urls.len()).map(|_| None).collect::<Vec<_>>());
    let hosts: Vec<String> = urls.iter().map(|url| host(url)).collect();
    let workers = bounds.jobs.clamp(1, urls.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(index) = next(&queue, &ready, &hosts, bounds.per_host.max(1)) {
                    let result = urls.get(index).map(|url| check(url));
                    let mut results = results.lock().unwrap_or_else(PoisonError::into_inner);
                    if let (Some(slot), Some(result)) = (results.get_mut(index), result) {
                        *slot = Some(result);
                    }
                    drop(results);
                    finish(&queue, &ready, &hosts, index);
                    done();
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(PoisonError::into_inner)
}

/// The next URL whose host has a free slot, waiting for one; `None` when
/// every URL has been taken.
fn next(queue: &Mutex<Queue>, ready: &Condvar, hosts: &[String], per_host: usize) -> Option<usize> {
    let mut queue = queue.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        if queue.pending.is_empty() {
            return None;
        }
        let free = |index: &usize| {
            let host = hosts.get(*index).map_or("", String::as_str);
            queue.busy.get(host).copied().unwrap_or(0) < per_host
        };
        if let Some(at) = queue.pending.iter().position(free) {
            let index = queue.pending.remove(at)?;
            let host = hosts.get(index).cloned().unwrap_or_default();
            *queue.busy.entry(host).or_default() += 1;
            return Some(index);
        }
        queue = ready.wait(queue).unwrap_or_else(PoisonError::into_inner);
    }
}

fn finish(queue: &Mutex<Queue>, ready: &Condvar, hosts: &[String], index: usize) {
    let mut queue = queue.lock().unwrap_or_else(PoisonError::into_inner);
    let host = hosts.get(index).map_or("", String::as_str);
    if let Some(count) = queue.busy.get_mut(host) {
        *count = count.saturating_sub(1);
    }
    drop(queue);
    ready.notify_all();
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
