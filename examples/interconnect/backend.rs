//! Which Plivo the command talks to: the real API (credentials set) or the built-in sandbox (only
//! when asked, or when nothing implies a real account). Never chosen silently: the first line of
//! every command says which.

use plivo_client::PlivoClient;
use plivo_client::sandbox::Sandbox;

use crate::inputs::InputError;

/// The Plivo side of a run.
pub enum Plivo {
    /// Plivo's API (or `PLIVO_API_BASE_URL`), with `PLIVO_AUTH_ID` / `PLIVO_AUTH_TOKEN`.
    Api {
        client: PlivoClient,
        /// Set when `PLIVO_API_BASE_URL` overrides the address.
        overridden: bool,
    },
    /// The offline emulator, living as long as this process.
    Sandbox {
        sandbox: Sandbox,
        client: PlivoClient,
        why: &'static str,
    },
}

impl std::fmt::Debug for Plivo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Plivo {
    pub fn client(&self) -> &PlivoClient {
        match self {
            Plivo::Api { client, .. } | Plivo::Sandbox { client, .. } => client,
        }
    }

    pub fn sandbox(&self) -> Option<&Sandbox> {
        match self {
            Plivo::Sandbox { sandbox, .. } => Some(sandbox),
            Plivo::Api { .. } => None,
        }
    }

    pub fn is_sandbox(&self) -> bool {
        self.sandbox().is_some()
    }

    /// The first line of output.
    pub fn describe(&self) -> String {
        match self {
            Plivo::Api { client, overridden } => format!(
                "Plivo: the real API at {}{} as account {} (PLIVO_AUTH_ID)",
                client.base_url(),
                if *overridden {
                    " (from PLIVO_API_BASE_URL)"
                } else {
                    ""
                },
                client.auth_id()
            ),
            Plivo::Sandbox { why, .. } => format!(
                "Plivo: the built-in offline sandbox ({why}); nothing real is read or changed, and \
                 what it holds is gone when this command ends"
            ),
        }
    }

    /// `{"plivo": "api" | "sandbox", "base_url": ..., "auth_id": ...}` for JSON documents and saved
    /// plans.
    pub fn identity(&self) -> serde_json::Value {
        match self {
            Plivo::Api { client, .. } => serde_json::json!({
                "plivo": "api",
                "base_url": client.base_url().as_str(),
                "auth_id": client.auth_id(),
            }),
            Plivo::Sandbox { .. } => serde_json::json!({ "plivo": "sandbox" }),
        }
    }
}

fn var(lookup: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    lookup(name).filter(|v| !v.trim().is_empty())
}

/// Picks the backend from the environment and the flags.
///
/// - both credentials set: the real API (`--sandbox` as well is an error);
/// - one without the other: an error naming the missing one;
/// - neither: the sandbox if `--sandbox` was given or `real_reason` is `None`; otherwise an error
///   saying which flag or command wants a real account.
pub async fn choose(
    lookup: &dyn Fn(&str) -> Option<String>,
    sandbox_flag: bool,
    real_reason: Option<&str>,
) -> Result<Plivo, Box<dyn std::error::Error>> {
    let id = var(lookup, "PLIVO_AUTH_ID");
    let token = var(lookup, "PLIVO_AUTH_TOKEN");
    match (id.is_some(), token.is_some()) {
        (true, true) => {
            if sandbox_flag {
                return Err(Box::new(InputError::about(
                    "--sandbox",
                    "PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN are set, so this would be the real \
                     account: unset them to use the sandbox, or drop --sandbox",
                )));
            }
            let overridden = var(lookup, "PLIVO_API_BASE_URL").is_some();
            let client = PlivoClient::from_env_with(|k| lookup(k)).map_err(|e| {
                Box::new(InputError::about(
                    if overridden {
                        "PLIVO_API_BASE_URL"
                    } else {
                        "PLIVO_AUTH_ID"
                    },
                    e,
                )) as Box<dyn std::error::Error>
            })?;
            Ok(Plivo::Api { client, overridden })
        }
        (true, false) => Err(Box::new(InputError::about(
            "PLIVO_AUTH_TOKEN",
            "is not set, but PLIVO_AUTH_ID is: set both for the real API, or neither (with \
             --sandbox) for the offline sandbox",
        ))),
        (false, true) => Err(Box::new(InputError::about(
            "PLIVO_AUTH_ID",
            "is not set, but PLIVO_AUTH_TOKEN is: set both for the real API, or neither (with \
             --sandbox) for the offline sandbox",
        ))),
        (false, false) => {
            let why = match (sandbox_flag, real_reason) {
                (true, _) => "asked for with --sandbox",
                (false, None) => "no PLIVO_AUTH_ID / PLIVO_AUTH_TOKEN set",
                (false, Some(reason)) => {
                    return Err(Box::new(InputError::about(
                        reason,
                        "works on a real account, but PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN are not \
                         set: set both, or pass --sandbox to try it against the built-in offline \
                         sandbox",
                    )));
                }
            };
            let sandbox = Sandbox::builder().try_start().await?;
            let client = sandbox.client_builder().build()?;
            Ok(Plivo::Sandbox {
                sandbox,
                client,
                why,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[tokio::test]
    async fn one_credential_without_the_other_is_an_error() {
        let e = choose(
            &env(&[("PLIVO_AUTH_ID", "MAXXXXXXXXXXXXXXXXXX")]),
            false,
            None,
        )
        .await
        .unwrap_err();
        assert!(
            e.to_string().starts_with("PLIVO_AUTH_TOKEN: is not set"),
            "{e}"
        );
        let e = choose(&env(&[("PLIVO_AUTH_TOKEN", "secret")]), true, None)
            .await
            .unwrap_err();
        assert!(e.to_string().starts_with("PLIVO_AUTH_ID"), "{e}");
        assert!(!e.to_string().contains("secret"));
    }

    #[tokio::test]
    async fn credentials_mean_the_real_api_and_no_sandbox() {
        let creds = env(&[
            ("PLIVO_AUTH_ID", "MAXXXXXXXXXXXXXXXXXX"),
            ("PLIVO_AUTH_TOKEN", "secret"),
        ]);
        let p = choose(&creds, false, Some("apply")).await.unwrap();
        assert!(!p.is_sandbox());
        assert!(
            p.describe()
                .starts_with("Plivo: the real API at https://api.plivo.com/")
        );
        assert!(!p.describe().contains("secret"));
        assert!(choose(&creds, true, None).await.is_err());
    }

    #[tokio::test]
    async fn the_sandbox_only_when_nothing_implies_a_real_account() {
        let none = env(&[]);
        let e = choose(&none, false, Some("--state")).await.unwrap_err();
        assert!(
            e.to_string()
                .starts_with("--state: works on a real account"),
            "{e}"
        );
        let p = choose(&none, true, Some("--state")).await.unwrap();
        assert!(p.describe().contains("asked for with --sandbox"));
        let p = choose(&none, false, None).await.unwrap();
        assert!(p.describe().contains("no PLIVO_AUTH_ID"));
    }
}
