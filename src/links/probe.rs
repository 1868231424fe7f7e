//! One URL, asked over HTTP: HEAD (GET when the server answers 405 or 501),
//! redirects followed one by one so that a chain of permanent ones can be
//! reported, `Retry-After` honoured up to a bound, and the final answer
//! sorted into a [`Verdict`].

use std::time::Duration;

use ureq::Agent;
use ureq::http::{Response, StatusCode};
use url::Url;

use super::Verdict;

/// Redirects followed before a link counts as broken.
const MAX_REDIRECTS: usize = 10;
/// Waits for `Retry-After` per URL before giving up on a 429 or 503.
const MAX_RETRIES: usize = 2;

/// How long to wait for servers.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// For each request as a whole: connecting, TLS, and the answer's head.
    pub timeout: Duration,
    /// The longest `Retry-After` waited for; a longer one is not waited for.
    pub retry_after: Duration,
}

/// What a server answered to one request.
struct Answer {
    status: u16,
    location: Option<String>,
    retry_after: Option<Duration>,
    /// A Cloudflare bot challenge (`cf-mitigated`, or Cloudflare's 403/503).
    challenge: bool,
}

/// An HTTP client for link checks: statuses are answers, not errors, and
/// redirects are left to [`probe`].
pub fn agent(limits: &Limits) -> Agent {
    let config = Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(limits.timeout))
        .user_agent(concat!("oyez-link-check/", env!("CARGO_PKG_VERSION")))
        .build();
    Agent::new_with_config(config)
}

/// Checks `url`, following its redirects.
pub fn probe(agent: &Agent, url: &str, limits: &Limits) -> Verdict {
    let mut current = url.to_owned();
    let mut seen = vec![current.clone()];
    let mut moved_to = None;
    let mut permanent = true;
    for _ in 0..=MAX_REDIRECTS {
        let answer = match fetch(agent, &current, limits) {
            Ok(answer) => answer,
            Err(reason) => return Verdict::Broken { reason },
        };
        if !(300..400).contains(&answer.status) || answer.status == 304 {
            return classify(&answer, moved_to);
        }
        let next = answer.location.as_deref().and_then(|location| {
            let base = Url::parse(&current).ok()?;
            Some(base.join(location).ok()?.to_string())
        });
        let Some(next) = next else {
            let reason = format!("HTTP {} without a valid Location", answer.status);
            return Verdict::Broken { reason };
        };
        if seen.contains(&next) {
            let reason = format!("redirect loop through {next}");
            return Verdict::Broken { reason };
        }
        permanent &= matches!(answer.status, 301 | 308);
        if permanent {
            moved_to = Some(next.clone());
        }
        seen.push(next.clone());
        current = next;
    }
    let reason = format!("more than {MAX_REDIRECTS} redirects");
    Verdict::Broken { reason }
}

/// The verdict on a final (non-redirect) answer.
fn classify(answer: &Answer, moved_to: Option<String>) -> Verdict {
    let status = answer.status;
    let name = StatusCode::from_u16(status)
        .ok()
        .and_then(|code| code.canonical_reason())
        .map_or_else(
            || format!("HTTP {status}"),
            |name| format!("HTTP {status} {name}"),
        );
    match status {
        200..=299 => moved_to.map_or(Verdict::Ok, |to| Verdict::Moved { to }),
        _ if answer.challenge => Verdict::Unverified {
            reason: format!("{name} (a Cloudflare challenge)"),
        },
        401 | 403 | 429 | 999 => Verdict::Unverified { reason: name },
        400..=599 => Verdict::Broken { reason: name },
        _ => Verdict::Unverified { reason: name },
    }
}

/// HEAD, or GET when HEAD is refused; waits out a `Retry-After` within bounds.
fn fetch(agent: &Agent, url: &str, limits: &Limits) -> Result<Answer, String> {
    let mut retries = 0;
    loop {
        let mut answer = request(agent, url, true, limits)?;
        if matches!(answer.status, 405 | 501) {
            answer = request(agent, url, false, limits)?;
        }
        let wait = answer
            .retry_after
            .filter(|wait| *wait <= limits.retry_after);
        match wait {
            Some(wait) if matches!(answer.status, 429 | 503) && retries < MAX_RETRIES => {
                retries += 1;
                std::thread::sleep(wait);
            }
            _ => return Ok(answer),
        }
    }
}

fn request(agent: &Agent, url: &str, head: bool, limits: &Limits) -> Result<Answer, String> {
    let sent = if head {
        agent.head(url).call()
    } else {
        agent.get(url).call()
    };
    sent.map(|response| answer(&response))
        .map_err(|err| failure(&err, limits))
}

fn answer<B>(response: &Response<B>) -> Answer {
    let header = |name: &str| {
        let value = response.headers().get(name)?;
        value.to_str().ok().map(str::trim).map(str::to_owned)
    };
    let status = response.status().as_u16();
    let cloudflare =
        header("server").is_some_and(|server| server.eq_ignore_ascii_case("cloudflare"));
    Answer {
        status,
        location: header("location"),
        retry_after: header("retry-after")
            .and_then(|value| value.parse::<u64>().ok())
            .map(Duration::from_secs),
        challenge: header("cf-mitigated").is_some() || (cloudflare && matches!(status, 403 | 503)),
    }
}

/// Why a request got no answer, in words.
fn failure(err: &ureq::Error, limits: &Limits) -> String {
    match err {
        ureq::Error::Timeout(_) => format!("no answer within {} s", limits.timeout.as_secs_f32()),
        ureq::Error::HostNotFound => "DNS: host not found".to_owned(),
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => {
            format!("TLS error: {err}")
        }
        ureq::Error::ConnectionFailed | ureq::Error::Io(_) => format!("connection failed: {err}"),
        _ => err.to_string(),
    }
}
