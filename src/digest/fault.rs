//! Fault injection for the digest crash tests, compiled into debug builds
//! only. `OYEZ_FAULT=STEP:ADDRESS` makes `oyez digest --send` stop at STEP
//! for ADDRESS: it prints `oyez: fault injection: paused at STEP:ADDRESS` to
//! stderr and waits forever, so a test can SIGKILL it exactly there. These
//! are the two points no SMTP server can hold the sender at:
//!
//! - `before-attempting`: the session is open, `attempting` not yet written;
//! - `before-accepted`: the server's 250 has been read, `accepted` not yet
//!   written.
//!
//! A release build ignores the variable.

/// Stops here forever when `OYEZ_FAULT` names this step and recipient.
#[cfg(debug_assertions)]
pub(crate) fn pause(step: &str, to: &str) {
    let Ok(fault) = std::env::var("OYEZ_FAULT") else {
        return;
    };
    if fault.split_once(':') != Some((step, to)) {
        return;
    }
    eprintln!("oyez: fault injection: paused at {step}:{to}");
    loop {
        std::thread::park();
    }
}

#[cfg(not(debug_assertions))]
pub(crate) fn pause(_step: &str, _to: &str) {}
