//! `jembatan user create`: an account with a role, without a web form (the
//! first province admin of a new deployment).

use std::io::Read;

use anyhow::{Context, bail};
use jembatan_domain::account::RegistrationForm;
use jembatan_domain::role::Role;
use jembatan_store::{Db, accounts, grants};
use rand::Rng;
use rand::distr::Alphanumeric;

use crate::cli::UserCreate;

/// The consent record of accounts created by an operator on their holder's behalf.
const OPERATOR_NOTICE: &str = "operator";

/// What `user create` made.
#[derive(Debug)]
pub struct Created {
    pub user_id: String,
    /// Set when the password was generated (shown once).
    pub generated_password: Option<String>,
}

/// Creates the account and its grant in the order the store requires; a
/// bad role or scope is refused before anything is written.
pub async fn create(db: &Db, args: &UserCreate, stdin_password: Option<String>) -> anyhow::Result<Created> {
    let role = Role::parse(&args.role).with_context(|| {
        let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("unknown role {:?}; use one of: {}", args.role, roles.join(", "))
    })?;
    let scope = match (role, args.scope.as_deref()) {
        (Role::Citizen, _) => None,
        (_, None) => {
            bail!("--scope is required for {}: a region code (35, 35.23) or an organisation id", role.as_str())
        }
        (_, Some(raw)) => {
            let scope = grants::parse_scope(db, raw).await.map_err(|e| anyhow::anyhow!("--scope {raw:?}: {e}"))?;
            if !role.accepts(&scope) {
                bail!("{} cannot be granted in scope {raw:?}", role.as_str());
            }
            Some(scope)
        }
    };
    let generated = stdin_password.is_none().then(generate_password);
    let password = stdin_password.or_else(|| generated.clone()).unwrap_or_default();
    let form = RegistrationForm {
        name: args.name.clone(),
        email: args.email.clone().unwrap_or_default(),
        phone: args.phone.clone().unwrap_or_default(),
        password: password.clone(),
        password_confirm: password,
        consent: true,
    };
    let account = form.validate().map_err(|errors| {
        let list: Vec<String> =
            errors.iter().map(|e| format!("--{}: {}", e.field.replace('_', "-"), e.code.as_str())).collect();
        anyhow::anyhow!("refused: {}", list.join(", "))
    })?;
    let user = accounts::create_user(db, &account, OPERATOR_NOTICE).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(scope) = scope {
        let id = user.id;
        db.write(move |tx| Box::pin(async move { grants::grant(tx, id, role, &scope, None).await }))
            .await
            .map_err(|e| anyhow::anyhow!("granting {}: {e}", role.as_str()))?;
    }
    Ok(Created { user_id: user.id.to_string(), generated_password: generated })
}

/// Reads a password from standard input (first line).
pub fn read_password_from_stdin() -> anyhow::Result<String> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    Ok(text.lines().next().unwrap_or_default().to_owned())
}

fn generate_password() -> String {
    rand::rng().sample_iter(Alphanumeric).take(20).map(char::from).collect()
}
