//! IAM as far as Firehose needs it: roles that list the actions they allow. A delivery stream
//! acts through its role, so a role without `s3:PutObject` makes delivery fail as in AWS.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use thiserror::Error;

/// The actions the console's wizard grants the role it creates for a delivery stream.
pub const FIREHOSE_DEFAULT_ACTIONS: [&str; 2] = ["s3:PutObject", "lambda:InvokeFunction"];

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IamError {
    #[error("role name '{0}' is invalid: names must be 1 to 64 characters of letters, digits and +=,.@_-")]
    BadRoleName(String),
    #[error("action '{0}' is invalid: write service:Action (e.g. s3:PutObject), service:* or *")]
    BadAction(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub name: String,
    pub arn: String,
    pub allowed_actions: BTreeSet<String>,
}

impl Role {
    /// Whether the role's policy allows `action`, with IAM's `*` and `service:*` wildcards.
    pub fn allows(&self, action: &str) -> bool {
        let service_wildcard = action.split_once(':').map(|(service, _)| format!("{service}:*"));
        self.allowed_actions.contains("*")
            || self.allowed_actions.contains(action)
            || service_wildcard.is_some_and(|w| self.allowed_actions.contains(&w))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Iam {
    account_id: String,
    roles: BTreeMap<String, Role>,
}

impl Iam {
    pub fn new(account_id: &str) -> Self {
        Self { account_id: account_id.to_string(), roles: BTreeMap::new() }
    }

    /// Creates or replaces a role; returns its ARN.
    pub fn put_role(&mut self, name: &str, actions: &[String]) -> Result<String, IamError> {
        let name_ok = (1..=64).contains(&name.len())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
        if !name_ok {
            return Err(IamError::BadRoleName(name.to_string()));
        }
        for a in actions {
            let ok = a == "*" || a.split_once(':').is_some_and(|(s, act)| !s.is_empty() && !act.is_empty());
            if !ok {
                return Err(IamError::BadAction(a.clone()));
            }
        }
        let arn = format!("arn:aws:iam::{}:role/{name}", self.account_id);
        let role = Role { name: name.to_string(), arn: arn.clone(), allowed_actions: actions.iter().cloned().collect() };
        self.roles.insert(name.to_string(), role);
        Ok(arn)
    }

    /// Every role, by name.
    pub fn roles(&self) -> impl Iterator<Item = &Role> {
        self.roles.values()
    }

    pub fn role_by_arn(&self, arn: &str) -> Option<&Role> {
        let name = arn.strip_prefix(&format!("arn:aws:iam::{}:role/", self.account_id))?;
        // A role ARN may carry a path (`role/service-role/x`); the name is the last segment.
        self.roles.get(name.rsplit('/').next().unwrap_or(name))
    }

    /// Whether the role named by `role_arn` exists and allows `action`.
    pub fn allows(&self, role_arn: &str, action: &str) -> bool {
        self.role_by_arn(role_arn).is_some_and(|r| r.allows(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_allow_listed_actions_and_wildcards() {
        let mut iam = Iam::new("123456789012");
        let arn = iam.put_role("firehose_role", &["s3:PutObject".into()]).unwrap();
        assert_eq!(arn, "arn:aws:iam::123456789012:role/firehose_role");
        assert!(iam.allows(&arn, "s3:PutObject"));
        assert!(!iam.allows(&arn, "lambda:InvokeFunction"));
        let all_lambda = iam.put_role("l", &["lambda:*".into()]).unwrap();
        assert!(iam.allows(&all_lambda, "lambda:InvokeFunction"));
        assert!(iam.allows("arn:aws:iam::123456789012:role/service-role/l", "lambda:InvokeFunction"));
        assert!(!iam.allows("arn:aws:iam::999999999999:role/l", "lambda:InvokeFunction"));
        assert_eq!(iam.put_role("bad name", &[]), Err(IamError::BadRoleName("bad name".into())));
        assert_eq!(iam.put_role("r", &["PutObject".into()]), Err(IamError::BadAction("PutObject".into())));
    }
}
