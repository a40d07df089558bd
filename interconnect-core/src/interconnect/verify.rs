//! Verification: drift findings from a fresh plan, and the test calls of runbook 3.6 and 4.4.

use std::fmt;

use plivo_client::{Call, CallFilter};
use serde::{Deserialize, Serialize};

use super::plan::Action;
use super::{Interconnect, InterconnectError};
use crate::naming::ResourceRole;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Severity {
    /// Something to know; the interconnect works as planned.
    Info,
    /// The platforms differ from the desired state: apply a new plan.
    Drift,
    /// A person must resolve it before applying.
    Conflict,
}

/// One thing verification noticed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// What it is, in words.
    pub message: String,
}

/// The result of [`Interconnect::verify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// Everything noticed, drift and conflicts first.
    pub findings: Vec<Finding>,
}

impl Verification {
    /// True when nothing differs from the desired state and nothing conflicts.
    pub fn is_converged(&self) -> bool {
        self.findings.iter().all(|f| f.severity == Severity::Info)
    }
}

impl fmt::Display for Verification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_converged() {
            writeln!(f, "The interconnect matches the desired state.")?;
        } else {
            writeln!(f, "The interconnect differs from the desired state:")?;
        }
        for x in &self.findings {
            let tag = match x.severity {
                Severity::Info => "info",
                Severity::Drift => "drift",
                Severity::Conflict => "conflict",
            };
            writeln!(f, "  - [{tag}] {}", x.message)?;
        }
        Ok(())
    }
}

/// One CDR of a test call, as the runbook's test steps want it read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestCall {
    /// Plivo's call id.
    pub call_uuid: String,
    /// `outbound` (ISP to PSTN, runbook 3.6) or `inbound` (PSTN to ISP, runbook 4.4).
    pub direction: String,
    /// The caller as Plivo saw it.
    pub from: Option<String>,
    /// The called number.
    pub to: Option<String>,
    /// Whether the call was answered.
    pub connected: bool,
    /// Plivo's hangup cause and code.
    pub hangup: Option<String>,
    /// For outbound calls: whether the caller ID is the configured one.
    pub caller_id_ok: Option<bool>,
}

/// The test calls found since a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestCallReport {
    /// The calls through this interconnect's trunks or to its numbers, newest first as Plivo lists.
    pub calls: Vec<TestCall>,
}

impl TestCallReport {
    /// True when an outbound call connected with the configured caller ID (runbook 3.6).
    pub fn outbound_ok(&self) -> bool {
        self.calls
            .iter()
            .any(|c| c.direction == "outbound" && c.connected && c.caller_id_ok == Some(true))
    }

    /// True when an inbound call to a routed number connected (runbook 4.4).
    pub fn inbound_ok(&self) -> bool {
        self.calls
            .iter()
            .any(|c| c.direction == "inbound" && c.connected)
    }
}

impl fmt::Display for TestCallReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.calls.is_empty() {
            return writeln!(f, "No test call found through this interconnect.");
        }
        for c in &self.calls {
            writeln!(
                f,
                "{} {} -> {}: {}{}{}",
                c.direction,
                c.from.as_deref().unwrap_or("?"),
                c.to.as_deref().unwrap_or("?"),
                if c.connected {
                    "connected"
                } else {
                    "not connected"
                },
                c.hangup
                    .as_ref()
                    .map_or_else(String::new, |h| format!(" ({h})")),
                match c.caller_id_ok {
                    Some(true) => ", caller ID as configured",
                    Some(false) => ", caller ID NOT the configured one",
                    None => "",
                }
            )?;
        }
        Ok(())
    }
}

impl Interconnect {
    /// Plans again and reports every difference from the desired state as a finding.
    ///
    /// # Errors
    /// Any read that fails on either side.
    pub async fn verify(&self) -> Result<Verification, InterconnectError> {
        let plan = self.plan().await?;
        let mut findings = Vec::new();
        for c in &plan.conflicts {
            findings.push(Finding {
                severity: Severity::Conflict,
                message: c.message.clone(),
            });
        }
        for s in plan.pending() {
            let detail: Vec<String> = s
                .changes
                .iter()
                .map(|c| {
                    format!(
                        "{} is {} and should be {}",
                        c.field,
                        c.from.as_deref().unwrap_or("absent"),
                        c.to.as_deref().unwrap_or("absent")
                    )
                })
                .collect();
            let what = match s.action {
                Action::Create => "is missing",
                Action::Attach => "is not linked",
                _ => "differs",
            };
            findings.push(Finding {
                severity: Severity::Drift,
                message: format!("{} {what}: {}", s.op.describe(), detail.join("; ")),
            });
        }
        for w in plan.warnings.iter().filter(|w| w.code == "sbc-drift") {
            findings.push(Finding {
                severity: Severity::Info,
                message: w.message.clone(),
            });
        }
        Ok(Verification { findings })
    }

    /// Finds the Zentrunk CDRs of test calls since `since` (`YYYY-MM-DD HH:MM[:SS]`, Plivo's
    /// `end_time` format): calls through this interconnect's outbound trunk (runbook 3.6) and
    /// calls to its routed numbers (runbook 4.4), with whether each connected and, for outbound
    /// calls, whether the caller ID is the configured one.
    ///
    /// # Errors
    /// Any Plivo read that fails.
    pub async fn verify_test_call(&self, since: &str) -> Result<TestCallReport, InterconnectError> {
        let trunks = self
            .plivo
            .trunks()
            .find_by_name(&self.spec.names.of(ResourceRole::OutboundTrunk))
            .await?;
        let domains: Vec<String> = trunks
            .iter()
            .filter_map(|t| t.trunk_domain.clone())
            .collect();
        let filter = CallFilter {
            end_time_gte: Some(since.to_owned()),
            ..CallFilter::default()
        };
        let calls = self.plivo.calls().all(&filter).await?;
        let caller = self.spec.caller_id.number();
        let numbers: Vec<&str> = self.spec.routes.iter().map(|r| r.number.digits()).collect();
        let digits = |s: &Option<String>| {
            s.as_deref()
                .map(|n| n.trim_start_matches('+').to_owned())
                .unwrap_or_default()
        };
        let mut out = Vec::new();
        for c in calls {
            let outbound = c
                .trunk_domain
                .as_ref()
                .is_some_and(|d| domains.iter().any(|x| x == d));
            let inbound = numbers.contains(&digits(&c.to_number).as_str());
            if !outbound && !inbound {
                continue;
            }
            out.push(test_call(
                &c,
                outbound,
                caller.digits(),
                &digits(&c.from_number),
            ));
        }
        Ok(TestCallReport { calls: out })
    }
}

fn test_call(c: &Call, outbound: bool, caller: &str, from_digits: &str) -> TestCall {
    TestCall {
        call_uuid: c.call_uuid.to_string(),
        direction: if outbound { "outbound" } else { "inbound" }.to_owned(),
        from: c.from_number.clone(),
        to: c.to_number.clone(),
        connected: c.connected(),
        hangup: c.hangup_cause_name.as_ref().map(|n| {
            c.hangup_cause_code
                .map_or_else(|| n.clone(), |code| format!("{n}, {code}"))
        }),
        caller_id_ok: outbound.then(|| from_digits == caller),
    }
}
