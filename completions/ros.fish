# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_ros_global_optspecs
    string join \n check-configuration= h/help V/version
end

function __fish_ros_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_ros_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_ros_using_subcommand
    set -l cmd (__fish_ros_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c ros -n "__fish_ros_needs_command" -l check-configuration -d 'Check FILE and exit (the original server\'s spelling of `ros check-configuration`)' -r -F
complete -c ros -n "__fish_ros_needs_command" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_needs_command" -s V -l version -d 'Print version'
complete -c ros -n "__fish_ros_needs_command" -f -a "serve" -d 'Run the server (sync, http and proxy listeners) until SIGINT or SIGTERM'
complete -c ros -n "__fish_ros_needs_command" -f -a "start" -d 'Run the server with the original 3.x `ros start` flags'
complete -c ros -n "__fish_ros_needs_command" -f -a "check-configuration" -d 'Check a configuration and report every problem found, with file, line and column'
complete -c ros -n "__fish_ros_needs_command" -f -a "init" -d 'Create a configuration file, a key pair and a data directory'
complete -c ros -n "__fish_ros_needs_command" -f -a "changeset" -d 'Inspect changesets (the binary format clients upload)'
complete -c ros -n "__fish_ros_needs_command" -f -a "generate-assets" -d 'Write the man pages and shell completions generated from this CLI'
complete -c ros -n "__fish_ros_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand serve" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand serve" -l root -d 'Data root directory (storage.root_path)' -r -F
complete -c ros -n "__fish_ros_using_subcommand serve" -l public-key -d 'PEM public key that verifies tokens (auth.public_key_path)' -r -F
complete -c ros -n "__fish_ros_using_subcommand serve" -l private-key -d 'PEM private key that signs tokens (auth.private_key_path)' -r -F
complete -c ros -n "__fish_ros_using_subcommand serve" -l listen -d 'Address of the HTTP proxy listener (proxy.http.listen_address)' -r
complete -c ros -n "__fish_ros_using_subcommand serve" -l port -d 'Port of the HTTP proxy listener (proxy.http.listen_port; 0 = any free port)' -r
complete -c ros -n "__fish_ros_using_subcommand serve" -l log-level -d 'Log level: all, trace, debug, detail, info, warn, error, fatal, off' -r
complete -c ros -n "__fish_ros_using_subcommand serve" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand start" -s d -l data -d 'Data root (the original\'s default: ./data)' -r -F
complete -c ros -n "__fish_ros_using_subcommand start" -s a -l address -d 'Address of the public HTTP listener' -r
complete -c ros -n "__fish_ros_using_subcommand start" -s p -l port -d 'Port of the public HTTP listener (1-65535)' -r
complete -c ros -n "__fish_ros_using_subcommand start" -s l -l loglevel -d 'all, trace, debug, detail, info, warn, error, fatal, off' -r
complete -c ros -n "__fish_ros_using_subcommand start" -s f -l logfile -d 'Append the log to this file' -r -F
complete -c ros -n "__fish_ros_using_subcommand start" -l private-key -d 'PEM private key (default: DATA/keys/auth.key)' -r -F
complete -c ros -n "__fish_ros_using_subcommand start" -l public-key -d 'PEM public key (default: DATA/keys/auth.pub)' -r -F
complete -c ros -n "__fish_ros_using_subcommand start" -l https-key -d 'PEM key of the HTTPS listener' -r -F
complete -c ros -n "__fish_ros_using_subcommand start" -l https-cert -d 'PEM certificate chain of the HTTPS listener' -r -F
complete -c ros -n "__fish_ros_using_subcommand start" -l https-address -d 'Address of the HTTPS listener' -r
complete -c ros -n "__fish_ros_using_subcommand start" -l https-port -d 'Port of the HTTPS listener (1-65535)' -r
complete -c ros -n "__fish_ros_using_subcommand start" -l no-auto-keygen -d 'Do not generate the key pair when it is missing'
complete -c ros -n "__fish_ros_using_subcommand start" -l https -d 'Also listen with HTTPS'
complete -c ros -n "__fish_ros_using_subcommand start" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand check-configuration" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand check-configuration" -l root -d 'Data root directory (storage.root_path)' -r -F
complete -c ros -n "__fish_ros_using_subcommand check-configuration" -l public-key -d 'PEM public key that verifies tokens (auth.public_key_path)' -r -F
complete -c ros -n "__fish_ros_using_subcommand check-configuration" -l private-key -d 'PEM private key that signs tokens (auth.private_key_path)' -r -F
complete -c ros -n "__fish_ros_using_subcommand check-configuration" -l listen -d 'Address of the HTTP proxy listener (proxy.http.listen_address)' -r
complete -c ros -n "__fish_ros_using_subcommand check-configuration" -l port -d 'Port of the HTTP proxy listener (proxy.http.listen_port; 0 = any free port)' -r
complete -c ros -n "__fish_ros_using_subcommand check-configuration" -l log-level -d 'Log level: all, trace, debug, detail, info, warn, error, fatal, off' -r
complete -c ros -n "__fish_ros_using_subcommand check-configuration" -l format -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand check-configuration" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand init" -l force -d 'Overwrite an existing configuration and key pair'
complete -c ros -n "__fish_ros_using_subcommand init" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand changeset; and not __fish_seen_subcommand_from decode help" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand changeset; and not __fish_seen_subcommand_from decode help" -f -a "decode" -d 'Decode a changeset (binary or hex, detected) and print its instructions'
complete -c ros -n "__fish_ros_using_subcommand changeset; and not __fish_seen_subcommand_from decode help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand changeset; and __fish_seen_subcommand_from decode" -l format -d 'Output format (the JSON shape is documented in docs/changeset-json.md)' -r -f -a "text\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand changeset; and __fish_seen_subcommand_from decode" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand changeset; and __fish_seen_subcommand_from help" -f -a "decode" -d 'Decode a changeset (binary or hex, detected) and print its instructions'
complete -c ros -n "__fish_ros_using_subcommand changeset; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand generate-assets" -l out -d 'Directory that receives `man/` and `completions/`' -r -F
complete -c ros -n "__fish_ros_using_subcommand generate-assets" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init changeset generate-assets help" -f -a "serve" -d 'Run the server (sync, http and proxy listeners) until SIGINT or SIGTERM'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init changeset generate-assets help" -f -a "start" -d 'Run the server with the original 3.x `ros start` flags'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init changeset generate-assets help" -f -a "check-configuration" -d 'Check a configuration and report every problem found, with file, line and column'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init changeset generate-assets help" -f -a "init" -d 'Create a configuration file, a key pair and a data directory'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init changeset generate-assets help" -f -a "changeset" -d 'Inspect changesets (the binary format clients upload)'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init changeset generate-assets help" -f -a "generate-assets" -d 'Write the man pages and shell completions generated from this CLI'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init changeset generate-assets help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from changeset" -f -a "decode" -d 'Decode a changeset (binary or hex, detected) and print its instructions'
