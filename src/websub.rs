//! WebSub (W3C Recommendation, issue 13): the feeds name their hubs
//! (`[feeds] hub`); `oyez publish` records which feeds changed for which
//! hub, and `oyez ping` tells each hub, once the files are live, with a
//! form-encoded `hub.mode=publish&hub.url=FEED` POST.
//!
//! The record of pings still to send is `.oyez/pings` in the committed
//! state ([`crate::state`]): one `HUB FEED` pair per line, sorted, each
//! line removed once its hub answered 2xx.

use std::collections::BTreeSet;
use std::time::Duration;

use ureq::Agent;

/// Tries per ping, and the wait before the second (doubled after each).
const TRIES: u32 = 3;
const FIRST_WAIT: Duration = Duration::from_millis(250);

/// One notification to send: `feed` changed, tell `hub`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ping {
    pub hub: String,
    pub feed: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PingError {
    #[error("{count} {} did not get a 2xx answer; they stay in .oyez/pings for the next `oyez ping`", if *count == 1 { "ping" } else { "pings" })]
    Failed { count: usize },
}

/// The pings of `text` (a pending file); lines that are not a pair are dropped.
pub fn parse(text: &str) -> BTreeSet<Ping> {
    text.lines()
        .filter_map(|line| line.split_once(' '))
        .map(|(hub, feed)| Ping {
            hub: hub.to_owned(),
            feed: feed.trim().to_owned(),
        })
        .collect()
}

pub fn render(pings: &BTreeSet<Ping>) -> String {
    pings
        .iter()
        .map(|ping| format!("{} {}\n", ping.hub, ping.feed))
        .collect()
}

/// One ping per hub for each changed feed.
pub fn pings(hubs: &[String], changed_feeds: &[String]) -> BTreeSet<Ping> {
    let pairs = hubs
        .iter()
        .flat_map(|hub| changed_feeds.iter().map(move |feed| (hub, feed)));
    pairs
        .map(|(hub, feed)| Ping {
            hub: hub.clone(),
            feed: feed.clone(),
        })
        .collect()
}

pub fn agent(timeout: Duration) -> Agent {
    let config = Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .user_agent(concat!(
            "oyez/",
            env!("CARGO_PKG_VERSION"),
            " (WebSub publisher)"
        ))
        .build();
    Agent::new_with_config(config)
}

/// Sends `ping`, trying again after 0.25 s and 0.5 s; the status of the
/// 2xx answer, or why the last try failed.
pub fn send(agent: &Agent, ping: &Ping) -> Result<u16, String> {
    let mut wait = FIRST_WAIT;
    let mut last = String::new();
    for attempt in 1..=TRIES {
        let form = [("hub.mode", "publish"), ("hub.url", ping.feed.as_str())];
        match agent.post(&ping.hub).send_form(form) {
            Ok(answer) if answer.status().is_success() => return Ok(answer.status().as_u16()),
            Ok(answer) => last = format!("HTTP {}", answer.status()),
            Err(err) => last = err.to_string(),
        }
        if attempt < TRIES {
            std::thread::sleep(wait);
            wait *= 2;
        }
    }
    Err(format!("{last} after {TRIES} tries"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_pings_survive_a_round_trip_and_come_once_each() {
        let hubs = [
            "https://a.example/".to_owned(),
            "https://b.example/".to_owned(),
        ];
        let feeds = [
            "https://s.example/atom.xml".to_owned(),
            "https://s.example/rss.xml".to_owned(),
        ];
        let mut pings = pings(&hubs, &feeds);
        pings.extend(super::pings(&hubs[..1], &feeds[..1]));
        assert_eq!(pings.len(), 4);
        assert_eq!(parse(&render(&pings)), pings);
    }
}
