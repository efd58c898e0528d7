//! `jembatan`: parses the command line and dispatches to a command.

use clap::Parser;
use tokio_util::sync::CancellationToken;

use jembatan::cli::{Cli, Command, RegionsCommand, SearchCommand, UserCommand};
use jembatan::commands;
use jembatan::config::Config;
use jembatan::startup::{self, Application};
use jembatan::telemetry;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("jembatan: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    telemetry::init(config.log_format);
    match run(cli.command, config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("jembatan: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => serve(&config).await,
        Command::Demo => demo(&config).await,
        Command::Migrate => {
            let db = startup::open_database(&config).await?;
            for (version, name) in jembatan_store::migrate::known(&db) {
                println!("{version:04} {name}");
            }
            println!("database is up to date");
            db.close().await;
            Ok(())
        }
        Command::Regions(RegionsCommand::Import { dir, data_version }) => {
            let db = startup::open_database(&config).await?;
            let started = std::time::Instant::now();
            let report = jembatan_store::regions::import(
                &db,
                jembatan_store::regions::RegionSource::Folder(&dir),
                &data_version,
            )
            .await?;
            println!(
                "regions: {} inserted, {} updated, {} unchanged in {} ms",
                report.inserted,
                report.updated,
                report.unchanged,
                started.elapsed().as_millis()
            );
            db.close().await;
            Ok(())
        }
        Command::User(UserCommand::Create(args)) => {
            let password = if args.password_stdin { Some(commands::user::read_password_from_stdin()?) } else { None };
            let db = startup::open_database(&config).await?;
            let created = commands::user::create(&db, &args, password).await;
            db.close().await;
            let created = created?;
            println!("created account {} ({}) with role {}", created.user_id, args.name, args.role);
            if let Some(password) = created.generated_password {
                println!("password (shown once): {password}");
            }
            Ok(())
        }
        Command::Search(SearchCommand::Reindex) => {
            let db = startup::open_database(&config).await?;
            let reindexed = startup::reindex(&config, &db).await;
            db.close().await;
            let reindexed = reindexed?;
            let seconds = reindexed.elapsed.as_secs_f64();
            println!(
                "search index rebuilt: {} published items in {:.1} s ({:.0} items/s) in {}",
                reindexed.documents,
                seconds,
                reindexed.documents as f64 / seconds.max(0.001),
                config.search_dir.display()
            );
            Ok(())
        }
        Command::Content(command) => commands::import::run(&config, command).await,
        Command::Seed(args) => commands::seed::run(&config, &args).await,
        Command::Backup { file } => {
            let db = startup::open_database(&config).await?;
            let outcome = jembatan_store::backup::backup(&db, &file).await?;
            println!("{outcome}");
            db.close().await;
            Ok(())
        }
    }
}

async fn serve(config: &Config) -> anyhow::Result<()> {
    let app = Application::build(config).await?;
    run_app(config, app).await
}

async fn demo(config: &Config) -> anyhow::Result<()> {
    let db = startup::open_database(config).await?;
    let logins = commands::demo::ensure_loaded(&db).await?;
    let app = Application::build_with(config, db).await?;
    println!("\nJembatan demo: {}", config.public_url);
    println!("Demo logins (password for all: {}):", commands::demo::DEMO_PASSWORD);
    for login in logins {
        println!("  {:<40} {}", login.role, login.login);
    }
    println!();
    run_app(config, app).await
}

async fn run_app(config: &Config, app: Application) -> anyhow::Result<()> {
    tracing::info!(address = %config.public_url, port = app.port(), "serving");
    let shutdown = CancellationToken::new();
    startup::cancel_on_signal(shutdown.clone());
    app.run_until_stopped(shutdown).await
}
