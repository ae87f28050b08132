use std::process::ExitCode;

fn main() -> ExitCode {
    brewgen::main()
}
