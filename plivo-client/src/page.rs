//! List envelopes and offset pagination.

use serde::Deserialize;

/// Most objects one list call may return (Plivo rejects `limit` above 20).
pub const MAX_PAGE_SIZE: u32 = 20;

/// The `meta` block of a list answer. Every field is optional; `previous` and `next` are kept as raw
/// JSON because real bodies carry strings with or without a leading slash, booleans, or `""`: they are
/// never followed (pages are fetched by `offset`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Meta {
    /// The page size the server used.
    #[serde(default)]
    pub limit: Option<u64>,
    /// The offset of this page.
    #[serde(default)]
    pub offset: Option<u64>,
    /// The number of objects matching the filters.
    #[serde(default)]
    pub total_count: Option<u64>,
    /// The link to the previous page, as sent.
    #[serde(default)]
    pub previous: Option<serde_json::Value>,
    /// The link to the next page, as sent.
    #[serde(default)]
    pub next: Option<serde_json::Value>,
}

/// One page of a list answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Page<T> {
    /// Plivo's request id.
    #[serde(default)]
    pub api_id: Option<String>,
    /// Paging information.
    #[serde(default)]
    pub meta: Meta,
    /// The objects on this page.
    #[serde(default = "Vec::new")]
    pub objects: Vec<T>,
}

impl<T> Page<T> {
    /// True when no page follows this one: it is shorter than `limit`, or it reaches `total_count`.
    pub fn is_last(&self, limit: u32, offset: u32) -> bool {
        let len = self.objects.len() as u64;
        if len < u64::from(limit) || len == 0 {
            return true;
        }
        matches!(self.meta.total_count, Some(total) if u64::from(offset) + len >= total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_next_shape_decodes() {
        for next in [
            r#""v1/Account/X/Zentrunk/Trunk/?limit=2&offset=2""#,
            r#""/v1/Account/X/Number/?limit=3&offset=3""#,
            "true",
            r#""""#,
            "null",
        ] {
            let body =
                format!(r#"{{"meta": {{"next": {next}, "previous": true}}, "objects": [1]}}"#);
            let page: Page<u8> = serde_json::from_str(&body).unwrap();
            assert_eq!(page.objects, vec![1]);
        }
        let page: Page<u8> = serde_json::from_str(r#"{"meta":{},"objects":[]}"#).unwrap();
        assert!(page.is_last(20, 0));
    }

    #[test]
    fn last_page_detection() {
        let full: Page<u8> =
            serde_json::from_str(r#"{"meta":{"total_count":40},"objects":[0,0]}"#).unwrap();
        assert!(!full.is_last(2, 0));
        assert!(full.is_last(2, 38));
        assert!(full.is_last(3, 0));
    }
}
