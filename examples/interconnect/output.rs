//! Where text goes: human text on stdout (stderr when the output is JSON), JSON alone on stdout,
//! logs on stderr, progress bars only on a terminal.

use std::collections::BTreeSet;
use std::io::{IsTerminal as _, Write as _};
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};
use interconnect_core::interconnect::{Progress, Side, StepOutcome};
use wehostvoip_client::Checklist;

/// The version of every JSON document this tool prints; bumped on an incompatible change.
pub const FORMAT_VERSION: u64 = 1;

/// Output settings shared by every command.
#[derive(Debug, Clone, Copy)]
pub struct Out {
    pub json: bool,
    pub quiet: bool,
}

impl Out {
    /// The result a person reads: stdout, or stderr when stdout carries JSON.
    pub fn say(self, text: impl AsRef<str>) {
        if self.json {
            eprintln!("{}", text.as_ref());
        } else {
            stdout(format_args!("{}\n", text.as_ref()));
        }
    }

    /// Context (which backend, notes, hints): like [`Out::say`], left out with `-q`.
    pub fn note(self, text: impl AsRef<str>) {
        if !self.quiet {
            self.say(text);
        }
    }

    /// The JSON document (only in JSON mode).
    pub fn document(self, doc: &serde_json::Value) {
        if self.json {
            stdout(format_args!(
                "{}\n",
                serde_json::to_string_pretty(doc).unwrap_or_else(|_| doc.to_string())
            ));
        }
    }
}

/// Writes to standard output. A reader that went away (`interconnect plan | head`) is not an
/// error of the command: the rest of the output is dropped and the command runs to its end (an
/// `apply` must not stop half-way because its output is no longer read), where `println!` would
/// panic.
pub fn stdout(text: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    // Any other write error (a full disk) is likewise not a reason to stop a running apply.
    let _ = out.write_fmt(text).and_then(|()| out.flush());
}

/// Installs the log subscriber: `RUST_LOG` when set (tracing-subscriber's `EnvFilter` syntax),
/// else `warn`, raised by each `-v` (info, debug, trace) or lowered to `error` by `-q`.
pub fn init_logging(verbose: u8, quiet: bool) {
    use tracing_subscriber::EnvFilter;
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        (false, _) => "trace",
    };
    let filter = match std::env::var("RUST_LOG") {
        Ok(v) if !v.trim().is_empty() => EnvFilter::try_new(&v).unwrap_or_else(|e| {
            eprintln!("warning: RUST_LOG {v:?} is not a valid filter ({e}); using {default}");
            EnvFilter::new(default)
        }),
        _ => EnvFilter::new(default),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .try_init();
}

/// The messages of an error and its causes, outermost first. The workspace's errors never format
/// their cause into their own message, so each cause is said once.
pub fn causes(e: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = next {
        let text = err.to_string();
        if !text.is_empty() {
            lines.push(text);
        }
        next = err.source();
    }
    lines
}

/// Prints an error, one line per cause.
pub fn print_error(e: &(dyn std::error::Error + 'static)) {
    let lines = causes(e);
    let mut it = lines.iter();
    if let Some(first) = it.next() {
        eprintln!("error: {first}");
    }
    for l in it {
        eprintln!("  caused by: {l}");
    }
}

/// Reports apply progress: a bar on a terminal, plain lines elsewhere; WeHostVoIP steps that
/// were only queued for the operator say so, with their ids.
pub struct Reporter {
    out: Out,
    bar: Option<ProgressBar>,
    checklist: Option<Arc<Checklist>>,
    before: BTreeSet<String>,
    last_queued: Option<String>,
    /// Every finished step, for the JSON document.
    pub events: Vec<serde_json::Value>,
    pub waiting: usize,
    pub done: usize,
}

impl Reporter {
    pub fn new(out: Out, total: usize, checklist: Option<Arc<Checklist>>) -> Reporter {
        let bar = (!out.json && !out.quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(total as u64);
            if let Ok(style) =
                ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed} {wide_msg}")
            {
                bar.set_style(style);
            }
            bar
        });
        Reporter {
            out,
            bar,
            checklist,
            before: BTreeSet::new(),
            last_queued: None,
            events: Vec::new(),
            waiting: 0,
            done: 0,
        }
    }

    fn pending_ids(&self) -> BTreeSet<String> {
        self.checklist
            .as_ref()
            .map(|c| c.pending().into_iter().map(|s| s.id).collect())
            .unwrap_or_default()
    }

    fn line(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.println(text),
            None => self.out.note(text),
        }
    }

    pub fn on(&mut self, p: &Progress, side: Side) {
        if *p.outcome() == StepOutcome::Started {
            self.before = self.pending_ids();
            if let Some(bar) = &self.bar {
                bar.set_message(format!("{} {}", p.action(), p.what()));
            }
            return;
        }
        let queued: Vec<String> = if side == Side::WeHostVoip {
            self.pending_ids()
                .difference(&self.before)
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        let (outcome, key) = match p.outcome() {
            StepOutcome::Done if !queued.is_empty() => {
                self.waiting += 1;
                (
                    format!("waiting for the operator (step id {})", queued.join(", ")),
                    "waiting_for_operator",
                )
            }
            StepOutcome::Done if side == Side::WeHostVoip && self.checklist.is_some() => {
                // The change is part of a step queued just before (a carrier's caller ID is typed
                // in the carrier's own form): it waits for the operator too.
                self.waiting += 1;
                (
                    match &self.last_queued {
                        Some(id) => format!("waiting for the operator (part of step id {id})"),
                        None => "waiting for the operator".to_owned(),
                    },
                    "waiting_for_operator",
                )
            }
            StepOutcome::Done => {
                self.done += 1;
                ("done".to_owned(), "done")
            }
            StepOutcome::Unchanged => ("unchanged".to_owned(), "unchanged"),
            StepOutcome::Reconciled => {
                self.done += 1;
                ("found (no duplicate made)".to_owned(), "reconciled")
            }
            StepOutcome::Failed(e) => (format!("FAILED: {e}"), "failed"),
            StepOutcome::Started => (String::new(), "started"),
            other => (format!("{other:?}"), "other"),
        };
        if let Some(last) = queued.last() {
            self.last_queued = Some(last.clone());
        }
        self.line(&format!(
            "  [{:>2}/{}] [{side}] {} {}: {outcome}",
            p.index(),
            p.total(),
            p.action(),
            p.what()
        ));
        self.events.push(serde_json::json!({
            "index": p.index(),
            "side": side,
            "action": p.action(),
            "what": p.what(),
            "outcome": key,
            "checklist_ids": queued,
            "error": match &p.outcome() { StepOutcome::Failed(e) => Some(e.clone()), _ => None },
        }));
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Quotes a path or value for a POSIX shell when it needs it.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=+@,".contains(&b))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct E(&'static str, Option<Box<E>>);
    impl std::fmt::Display for E {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }
    impl std::error::Error for E {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref().map(|e| e as _)
        }
    }

    #[test]
    fn every_cause_is_printed_in_order() {
        let e = E(
            "a Plivo request failed",
            Some(Box::new(E(
                "GET Zentrunk/Trunk/: request not sent",
                Some(Box::new(E(
                    "",
                    Some(Box::new(E("connection refused", None))),
                ))),
            ))),
        );
        assert_eq!(
            causes(&e),
            vec![
                "a Plivo request failed",
                "GET Zentrunk/Trunk/: request not sent",
                "connection refused"
            ]
        );
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("acme.json"), "acme.json");
        assert_eq!(shell_quote("my state.json"), "'my state.json'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
