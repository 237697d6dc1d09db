fn main() -> std::process::ExitCode {
    sdp::cli::main()
}
