//! `warehouse-sync`: the panel's stock upload as a command for cron and systemd timers. Arguments and the exit code
//! only; the work is `warehouse_panel::sync`.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::path::PathBuf;
    use std::process::ExitCode;
    use std::rc::Rc;

    use clap::{Args, Parser, Subcommand};
    use warehouse_panel::api::native::runtime;
    use warehouse_panel::sync::check;
    use warehouse_panel::sync::command::{self, UploadOptions};
    use warehouse_panel::sync::console::{read_key, Console, Exit, StdConsole};

    const EXIT_CODES: &str = "\
Exit codes:
  0  everything applied (a dry run or a check: nothing wrong found)
  1  invalid input: arguments, file, mapping, validation problems; nothing sent
  2  applied, but some offers were not found or some chunks failed (listed in the report)
  3  connection, key or rights: the CRM cannot be reached, refuses the key, or the key lacks a right
  4  another run holds the state's lock: nothing done

The API key comes from the RETAILCRM_API_KEY environment variable or --key-file, never from an argument; it is
never printed, logged or written to a report or the state.";

    /// Uploads a warehouse's stock and purchase prices from a CSV/TSV file to a RetailCRM (Simla.com) account: the
    /// same mapping, validation, pacing (10 requests/s, several in flight), retries and report as the panel's
    /// Upload screen, unattended.
    #[derive(Debug, Parser)]
    #[command(name = "warehouse-sync", version, after_help = EXIT_CODES)]
    struct Cli {
        /// A file holding the API key (read once, trimmed); default: the RETAILCRM_API_KEY variable.
        #[arg(long, global = true, value_name = "PATH")]
        key_file: Option<PathBuf>,
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Debug, Subcommand)]
    enum Command {
        /// Upload a stock file: read, map, validate (a file with problems sends nothing), then send it in chunks of
        /// at most 250 offers.
        #[command(after_help = EXIT_CODES)]
        Upload(UploadArgs),
        /// Check the CRM address and the key: API v5, the sites and the key's rights per capability (exit 3 when
        /// the key may not upload stock).
        #[command(after_help = EXIT_CODES)]
        Check {
            /// The CRM account's address, e.g. https://example.retailcrm.ru.
            #[arg(long, value_name = "ADDRESS")]
            account: String,
        },
    }

    #[derive(Debug, Args)]
    struct UploadArgs {
        /// The stock file (CSV or TSV, any common encoding), or an http(s) address to fetch it from (without the key).
        #[arg(value_name = "FILE or URL")]
        source: String,
        /// The CRM account's address, e.g. https://example.retailcrm.ru.
        #[arg(long, value_name = "ADDRESS")]
        account: String,
        /// The site (shop) code for rows without a site cell; default: the mapping's, or the key's only site.
        #[arg(long, value_name = "CODE")]
        site: Option<String>,
        /// The mapping profile saved from the panel's Upload screen ("Save this mapping for scheduled sync").
        /// Without it the columns are mapped from the header as the panel suggests, and the run stops (exit 1)
        /// when that would be a guess: no key column, several columns that could be the key, the site or one
        /// field, a column that could be two warehouses, no warehouse column.
        #[arg(long, value_name = "PROFILE.json")]
        mapping: Option<PathBuf>,
        /// Read the CRM's current stock and print what would change; send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Read the CRM's current stock first (the cheaper of by key or all pages, at the rate limit) and send only
        /// the offers and warehouses that change.
        #[arg(long)]
        only_changed: bool,
        /// Write every offer with its outcome (or, with --dry-run, its change) to this file; .csv or .json (the
        /// JSON also has the run's figures).
        #[arg(long, value_name = "PATH.csv|.json")]
        report: Option<PathBuf>,
        /// Keep the run's progress in this file (and PATH.plan, PATH.lock): a run killed mid-way is resumed by the
        /// next run of the same file, mapping and site without sending again what succeeded; two runs with the
        /// same state never overlap (the second exits with 4).
        #[arg(long, value_name = "PATH")]
        state: Option<PathBuf>,
    }

    pub fn main() -> ExitCode {
        let cli = match Cli::try_parse() {
            Ok(cli) => cli,
            Err(e) => {
                let _ = e.print();
                return ExitCode::from(if e.use_stderr() { 1 } else { 0 });
            }
        };
        let key = read_key(
            std::env::var("RETAILCRM_API_KEY").ok(),
            cli.key_file.as_deref(),
        );
        let console = Rc::new(StdConsole::new(key.as_ref().ok().cloned()));
        let key = match key {
            Ok(key) => key,
            Err(e) => {
                console.note(&format!("warehouse-sync: {e}"));
                return ExitCode::from(Exit::Connection.code() as u8);
            }
        };
        let rt = match runtime() {
            Ok(rt) => rt,
            Err(e) => {
                console.note(&format!("warehouse-sync: cannot start ({e})"));
                return ExitCode::FAILURE;
            }
        };
        let exit = match cli.command {
            Command::Check { account } => {
                rt.block_on(check::check(&account, &key, console.as_ref()))
            }
            Command::Upload(args) => {
                let options = UploadOptions {
                    source: args.source,
                    account: args.account,
                    site: args.site,
                    mapping: args.mapping,
                    dry_run: args.dry_run,
                    only_changed: args.only_changed,
                    report: args.report,
                    state: args.state,
                };
                rt.block_on(command::upload(&options, &key, console.clone()))
            }
        };
        ExitCode::from(exit.code() as u8)
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native::main()
}

/// The command has no browser build.
#[cfg(target_arch = "wasm32")]
fn main() {}
