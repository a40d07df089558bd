//! Zentrunk (SIP trunking): trunks, IP ACLs, credentials, origination URIs and CDRs.

pub mod call;
pub mod credential;
pub mod ip_acl;
pub mod trunk;
pub mod uri;

use serde::Serialize;

/// Paging for lists without filters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ListParams {
    /// Page size, 1 to 20 (default 20).
    pub limit: Option<u32>,
    /// Offset of the page (default 0).
    pub offset: Option<u32>,
}
