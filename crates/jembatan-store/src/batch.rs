//! Writes sent together: [`Batch`] gathers multi-row statements and runs
//! them in a transaction, on SQLite as one call, on PostgreSQL one by one.
//!
//! Why: on SQLite every call is a hand-over between the writer's thread and
//! sqlx's connection thread, and under load each hand-over waits for a core
//! (about 150 us each while reports were filed, against a few microseconds
//! for SQLite to run a small statement). sqlx runs every statement of a
//! query string in order and binds anonymous parameters across them in
//! order, so a batch of inserts costs one hand-over. PostgreSQL's extended
//! protocol takes one statement per call: there the statements run in turn.

use sqlx::postgres::PgArguments;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, Encode, Postgres, Sqlite, Type};

use crate::db::{Backend, Tx, rows_per_statement, value_tuples};
use crate::error::{StoreError, StoreResult};

/// Statements waiting to run together in a transaction.
pub(crate) struct Batch<'q> {
    statements: Statements<'q>,
    /// The first value that could not be bound: the batch refuses to run.
    unbound: Option<String>,
}

enum Statements<'q> {
    Sqlite {
        sql: String,
        args: SqliteArguments<'q>,
    },
    /// Each statement, its values, and whether it returns rows.
    Postgres(Vec<(String, PgArguments, bool)>),
}

/// The values of the statement being added, bound in order whatever the
/// engine.
pub(crate) struct Values<'b, 'q> {
    args: Args<'b, 'q>,
    unbound: &'b mut Option<String>,
}

enum Args<'b, 'q> {
    Sqlite(&'b mut SqliteArguments<'q>),
    Postgres(&'b mut PgArguments),
}

impl<'q> Values<'_, 'q> {
    /// Binds the next value.
    pub(crate) fn add<T>(&mut self, value: T) -> &mut Self
    where
        T: Encode<'q, Sqlite> + Type<Sqlite> + Encode<'q, Postgres> + Type<Postgres> + Send + 'q,
    {
        let added = match &mut self.args {
            Args::Sqlite(args) => args.add(value),
            Args::Postgres(args) => args.add(value),
        };
        if let Err(e) = added {
            self.unbound.get_or_insert_with(|| e.to_string());
        }
        self
    }
}

impl<'q> Batch<'q> {
    pub(crate) fn new(backend: Backend) -> Self {
        let statements = match backend {
            Backend::Sqlite => Statements::Sqlite { sql: String::new(), args: SqliteArguments::default() },
            Backend::Postgres => Statements::Postgres(Vec::new()),
        };
        Batch { statements, unbound: None }
    }

    pub(crate) fn backend(&self) -> Backend {
        match self.statements {
            Statements::Sqlite { .. } => Backend::Sqlite,
            Statements::Postgres(_) => Backend::Postgres,
        }
    }

    /// Adds `head VALUES (..), (..) tail` for `rows`, as many statements
    /// as the engine takes well, each row's `columns` values bound by
    /// `bind`. `head` and `tail` must not use parameters.
    pub(crate) fn insert<R>(
        &mut self,
        head: &str,
        columns: usize,
        tail: &str,
        rows: &[R],
        mut bind: impl FnMut(&mut Values<'_, 'q>, &R),
    ) {
        for chunk in rows.chunks(rows_per_statement(self.backend(), columns)) {
            let sql = format!("{head} VALUES {} {tail}", value_tuples(self.backend(), chunk.len(), columns));
            self.add(&sql, tail.contains("RETURNING"), |values| chunk.iter().for_each(|row| bind(values, row)));
        }
    }

    /// Adds one statement without parameters that returns no rows.
    pub(crate) fn statement(&mut self, sql: &str) {
        self.add(sql, false, |_| {});
    }

    fn add(&mut self, sql: &str, returns_rows: bool, bind: impl FnOnce(&mut Values<'_, 'q>)) {
        let unbound = &mut self.unbound;
        match &mut self.statements {
            Statements::Sqlite { sql: all, args } => {
                all.push_str(sql);
                all.push_str(";\n");
                bind(&mut Values { args: Args::Sqlite(args), unbound });
            }
            Statements::Postgres(statements) => {
                let mut args = PgArguments::default();
                bind(&mut Values { args: Args::Postgres(&mut args), unbound });
                statements.push((sql.to_owned(), args, returns_rows));
            }
        }
    }

    /// Runs the statements in `tx`; returns the first column (text) of the
    /// rows the inserts return (`... RETURNING id`), in order.
    pub(crate) async fn run(self, tx: &mut Tx<'_>) -> StoreResult<Vec<String>> {
        if let Some(e) = self.unbound {
            return Err(StoreError::Internal(format!("a value could not be bound: {e}")));
        }
        match (self.statements, tx) {
            (Statements::Sqlite { sql, args }, Tx::Sqlite(conn)) => {
                if sql.is_empty() {
                    return Ok(Vec::new());
                }
                Ok(sqlx::query_scalar_with::<_, String, _>(&sql, args).fetch_all(&mut **conn).await?)
            }
            (Statements::Postgres(statements), Tx::Postgres(conn)) => {
                let mut returned = Vec::new();
                for (sql, args, returns_rows) in statements {
                    if returns_rows {
                        let rows = sqlx::query_scalar_with::<_, String, _>(&sql, args).fetch_all(&mut **conn).await?;
                        returned.extend(rows);
                    } else {
                        sqlx::query_with(&sql, args).execute(&mut **conn).await?;
                    }
                }
                Ok(returned)
            }
            _ => Err(StoreError::Internal("a batch made for one engine ran on the other".into())),
        }
    }
}
