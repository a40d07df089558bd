//! The one error type of this crate.

use std::path::PathBuf;

use api_common::{Classify, Failure, Repeat};
use serde::{Deserialize, Serialize};

/// The kind of WeHostVoIP object an error or a step is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Kind {
    /// A carrier (ISP console, Carriers).
    Carrier,
    /// A gateway inside a carrier.
    Gateway,
    /// A tenant (ISP console, Tenants).
    Tenant,
    /// A subscriber (extension) of a tenant.
    Subscriber,
    /// A security group of a tenant.
    SecurityGroup,
    /// A number in the ISP number inventory.
    InventoryNumber,
    /// A tenant phone number (an inventory number assigned to an extension).
    PhoneNumber,
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Carrier => "carrier",
            Self::Gateway => "gateway",
            Self::Tenant => "tenant",
            Self::Subscriber => "subscriber",
            Self::SecurityGroup => "security group",
            Self::InventoryNumber => "inventory number",
            Self::PhoneNumber => "phone number",
        })
    }
}

/// An error answer of a server that implements `openapi.yaml` ([`api_common::ApiError`], the one
/// error answer of the workspace's clients): its `code` and `message`, or the status alone.
pub use api_common::ApiError;

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input value broke a rule; nothing was done.
    #[error("invalid {what} {value:?}: {rule}")]
    Invalid {
        /// What the value was meant to be (e.g. "E.164 number").
        what: &'static str,
        /// The rejected value, as given.
        value: String,
        /// The rule it broke.
        rule: &'static str,
    },
    /// The named object does not exist.
    #[error("{kind} {name:?} does not exist")]
    NotFound {
        /// Kind of the missing object.
        kind: Kind,
        /// Its name (carrier name, tenant domain, extension, number...).
        name: String,
    },
    /// An object with this name already exists (names are unique).
    #[error("{kind} {name:?} already exists")]
    AlreadyExists {
        /// Kind of the object.
        kind: Kind,
        /// Its name.
        name: String,
    },
    /// The object is still used by another one and cannot be removed.
    #[error("{kind} {name:?} is still used by {used_by}")]
    InUse {
        /// Kind of the object that was to be removed.
        kind: Kind,
        /// Its name.
        name: String,
        /// What still uses it.
        used_by: String,
    },
    /// A number must be in the ISP number inventory before it can be assigned.
    #[error("number {number} is not in the number inventory: add it there before assigning it")]
    NotInInventory {
        /// The number.
        number: String,
    },
    /// The number is already assigned to another extension.
    #[error("number {number} is already assigned to extension {extension}")]
    AlreadyAssigned {
        /// The number.
        number: String,
        /// The extension that holds it.
        extension: String,
    },
    /// The checklist state file could not be read or written.
    #[error("checklist state file {}: {action} failed", path.display())]
    StateFileIo {
        /// The state file.
        path: PathBuf,
        /// What was attempted ("read", "write", "rename").
        action: &'static str,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The checklist state file is not valid JSON of the expected shape.
    #[error("checklist state file {} is corrupted; fix or move it away, it is never reset silently", path.display())]
    StateFileCorrupt {
        /// The state file.
        path: PathBuf,
        /// The decoding error.
        #[source]
        source: serde_json::Error,
    },
    /// The checklist state file belongs to another program or to another format version.
    #[error("checklist state file {} is not a wehostvoip-client checklist state (found format {found:?})", path.display())]
    StateFileForeign {
        /// The state file.
        path: PathBuf,
        /// The format tag and version found in the file.
        found: String,
    },
    /// A step recorded as confirmed in the state file no longer applies to the seeded objects.
    #[error("checklist state file {}: confirmed step {step} cannot be replayed", path.display())]
    StateFileReplay {
        /// The state file.
        path: PathBuf,
        /// The id of the step.
        step: String,
        /// Why it no longer applies.
        #[source]
        source: Box<Error>,
    },
    /// No step with this id is pending in the checklist.
    #[error("no pending checklist step has id {id:?}")]
    UnknownStep {
        /// The id that was given.
        id: String,
    },
    /// The HTTP request could not be sent (connection refused, DNS, TLS): the server did nothing.
    #[error("{method} {path}: request not sent")]
    NotSent {
        /// HTTP method.
        method: String,
        /// Request path.
        path: String,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// The HTTP request was sent but no usable answer came back: the outcome is unknown.
    #[error("{method} {path}: request sent, outcome unknown")]
    OutcomeUnknown {
        /// HTTP method.
        method: String,
        /// Request path.
        path: String,
        /// The transport or body error.
        #[source]
        source: reqwest::Error,
    },
    /// The HTTP client could not be set up (TLS backend, system configuration).
    #[error("the HTTP client could not be built")]
    Client(#[source] reqwest::Error),
    /// The server answered with an error status that maps to no other variant.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The server answered 2xx with a body that is not the contract's object.
    #[error("{method} {path}: response body does not match the contract")]
    Decode {
        /// HTTP method.
        method: String,
        /// Request path.
        path: String,
        /// The decoding error.
        #[source]
        source: serde_json::Error,
    },
}

impl Error {
    /// True when the same request may succeed if sent again, by the workspace's one retry rule
    /// ([`Failure::is_retryable`]) for the request's method ([`Repeat::of_method`]): never
    /// sent, a 429, or for a read an unknown outcome or a 500, 502, 503 or 504.
    pub fn is_retryable(&self) -> bool {
        let method = match self {
            Self::NotSent { method, .. } | Self::OutcomeUnknown { method, .. } => {
                reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::POST)
            }
            Self::Api(api) => api.method.clone(),
            _ => return false,
        };
        self.failure().is_retryable(Repeat::of_method(&method))
    }

    /// The HTTP status when the server answered with an error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api(api) => Some(api.status.as_u16()),
            _ => None,
        }
    }

    pub(crate) fn invalid(
        what: &'static str,
        value: impl Into<String>,
        rule: &'static str,
    ) -> Self {
        Self::Invalid {
            what,
            value: value.into(),
            rule,
        }
    }
}

impl Classify for Error {
    fn failure(&self) -> Failure {
        match self {
            Self::NotSent { .. } => Failure::NotSent,
            Self::OutcomeUnknown { .. } => Failure::OutcomeUnknown,
            Self::Api(api) => Failure::Answered {
                status: api.status,
                retry_after: api.retry_after,
            },
            _ => Failure::Final,
        }
    }
}
