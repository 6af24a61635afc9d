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
complete -c ros -n "__fish_ros_needs_command" -f -a "token" -d 'Key pairs, the admin token, minted tokens and what a token says'
complete -c ros -n "__fish_ros_needs_command" -f -a "user" -d 'Manage users, through a running server or offline with --data-root'
complete -c ros -n "__fish_ros_needs_command" -f -a "permission" -d 'Who may read, write and manage which Realm; offers that share a Realm by token'
complete -c ros -n "__fish_ros_needs_command" -f -a "realm" -d 'The Realms the server knows, their owners and permissions'
complete -c ros -n "__fish_ros_needs_command" -f -a "probe" -d 'Probe a sync server as a client would, timing each step of a session'
complete -c ros -n "__fish_ros_needs_command" -f -a "backup" -d 'Back up a data root while the server runs (or `backup verify` a backup)'
complete -c ros -n "__fish_ros_needs_command" -f -a "restore" -d 'Replace a data root with a verified backup (the server must be stopped)'
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
complete -c ros -n "__fish_ros_using_subcommand start" -l refresh-token-ttl -d 'Lifetime of refresh tokens in seconds (default 315360000, ten years)' -r
complete -c ros -n "__fish_ros_using_subcommand start" -l access-token-ttl -d 'Lifetime of access tokens in seconds (default 600)' -r
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
complete -c ros -n "__fish_ros_using_subcommand check-configuration" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand check-configuration" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand init" -l force -d 'Overwrite an existing configuration and key pair'
complete -c ros -n "__fish_ros_using_subcommand init" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand token; and not __fish_seen_subcommand_from keygen admin create inspect help" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand token; and not __fish_seen_subcommand_from keygen admin create inspect help" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand token; and not __fish_seen_subcommand_from keygen admin create inspect help" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand token; and not __fish_seen_subcommand_from keygen admin create inspect help" -f -a "keygen" -d 'Write a new RSA key pair: auth.key (mode 0600) and auth.pub'
complete -c ros -n "__fish_ros_using_subcommand token; and not __fish_seen_subcommand_from keygen admin create inspect help" -f -a "admin" -d 'Print the admin token of the local server (made when missing)'
complete -c ros -n "__fish_ros_using_subcommand token; and not __fish_seen_subcommand_from keygen admin create inspect help" -f -a "create" -d 'Sign a token with the local server\'s private key'
complete -c ros -n "__fish_ros_using_subcommand token; and not __fish_seen_subcommand_from keygen admin create inspect help" -f -a "inspect" -d 'Check a token\'s signature and times and show what it says (exit 1 if not valid)'
complete -c ros -n "__fish_ros_using_subcommand token; and not __fish_seen_subcommand_from keygen admin create inspect help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from keygen" -l out-dir -d 'Directory for the two files' -r -F
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from keygen" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from keygen" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from keygen" -l force -d 'Replace existing files'
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from keygen" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from admin" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from admin" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from admin" -l rotate -d 'Replace it with a new one; the old one stops working at once, also on the running server'
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from admin" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from create" -l identity -d 'Whom the token speaks for: a user id, `__admin`, or any identity' -r
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from create" -l path -d 'The one Realm an access token opens (default: none, for the HTTP API)' -r
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from create" -l access -d 'Rights of an access token, comma separated [default: download,upload]' -r
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from create" -l expires-in -d 'Lifetime: 10m, 1h, 30d (s, m, h, d), or never [default: the configured TTL]' -r
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from create" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from create" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from create" -l refresh -d 'A refresh token (a new login session of that user)'
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from create" -l admin -d 'Mark the token\'s holder as an admin'
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from create" -l jwt -d 'Write a JWT (RS256) instead of the legacy form'
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from inspect" -l public-key -d 'Verify with these PEM public keys instead of the configuration\'s' -r -F
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from inspect" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from inspect" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "keygen" -d 'Write a new RSA key pair: auth.key (mode 0600) and auth.pub'
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "admin" -d 'Print the admin token of the local server (made when missing)'
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "create" -d 'Sign a token with the local server\'s private key'
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Check a token\'s signature and times and show what it says (exit 1 if not valid)'
complete -c ros -n "__fish_ros_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand user; and not __fish_seen_subcommand_from list show add remove passwd grant-admin revoke-admin disable enable help" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand user; and not __fish_seen_subcommand_from list show add remove passwd grant-admin revoke-admin disable enable help" -l url -d 'The server\'s http service, such as http://127.0.0.1:27080 (else ROS_URL, else the local configuration\'s)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and not __fish_seen_subcommand_from list show add remove passwd grant-admin revoke-admin disable enable help" -l token -d 'The admin token or a user\'s token (else ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token file)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and not __fish_seen_subcommand_from list show add remove passwd grant-admin revoke-admin disable enable help" -l data-root -l root -d 'Work offline, as the operator, on this stopped server\'s data root (storage.root_path); `--root` is the same' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and not __fish_seen_subcommand_from list show add remove passwd grant-admin revoke-admin disable enable help" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and not __fish_seen_subcommand_from list show add remove passwd grant-admin revoke-admin disable enable help" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand user; and not __fish_seen_subcommand_from list show add remove passwd grant-admin revoke-admin disable enable help" -f -a "list" -d 'List every user'
complete -c ros -n "__fish_ros_using_subcommand user; and not __fish_seen_subcommand_from list show add remove passwd grant-admin revoke-admin disable enable help" -f -a "show" -d 'Show one user'
complete -c ros -n "__fish_ros_using_subcommand user; and not __fish_seen_subcommand_from list show add remove passwd grant-admin revoke-admin disable enable help" -f -a "add" -d 'Create a user who logs in with USER as username and a password'
complete -c ros -n "__fish_ros_using_subcommand user; and not __fish_seen_subcommand_from list show add remove passwd grant-admin revoke-admin disable enable help" -f -a "remove" -d 'Remove a user (its Realms are kept)'
complete -c ros -n "__fish_ros_using_subcommand user; and not __fish_seen_subcommand_from list show add remove passwd grant-admin revoke-admin disable enable help" -f -a "passwd" -d 'Set a user\'s password; this ends every session of the user unless `--keep-sessions`'
complete -c ros -n "__fish_ros_using_subcommand user; and not __fish_seen_subcommand_from list show add remove passwd grant-admin revoke-admin disable enable help" -f -a "grant-admin" -d 'Make a user an admin'
complete -c ros -n "__fish_ros_using_subcommand user; and not __fish_seen_subcommand_from list show add remove passwd grant-admin revoke-admin disable enable help" -f -a "revoke-admin" -d 'Take admin rights from a user'
complete -c ros -n "__fish_ros_using_subcommand user; and not __fish_seen_subcommand_from list show add remove passwd grant-admin revoke-admin disable enable help" -f -a "disable" -d 'Disable a user: no logins, every token refused'
complete -c ros -n "__fish_ros_using_subcommand user; and not __fish_seen_subcommand_from list show add remove passwd grant-admin revoke-admin disable enable help" -f -a "enable" -d 'Enable a disabled user again'
complete -c ros -n "__fish_ros_using_subcommand user; and not __fish_seen_subcommand_from list show add remove passwd grant-admin revoke-admin disable enable help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from list" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from list" -l url -d 'The server\'s http service, such as http://127.0.0.1:27080 (else ROS_URL, else the local configuration\'s)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from list" -l token -d 'The admin token or a user\'s token (else ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token file)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from list" -l data-root -l root -d 'Work offline, as the operator, on this stopped server\'s data root (storage.root_path); `--root` is the same' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from list" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from show" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from show" -l url -d 'The server\'s http service, such as http://127.0.0.1:27080 (else ROS_URL, else the local configuration\'s)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from show" -l token -d 'The admin token or a user\'s token (else ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token file)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from show" -l data-root -l root -d 'Work offline, as the operator, on this stopped server\'s data root (storage.root_path); `--root` is the same' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from show" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from add" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from add" -l url -d 'The server\'s http service, such as http://127.0.0.1:27080 (else ROS_URL, else the local configuration\'s)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from add" -l token -d 'The admin token or a user\'s token (else ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token file)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from add" -l data-root -l root -d 'Work offline, as the operator, on this stopped server\'s data root (storage.root_path); `--root` is the same' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from add" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from add" -l admin -d 'Make the user an admin'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from add" -l password-stdin -d 'Read the password from standard input (one line) instead of asking'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from remove" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from remove" -l url -d 'The server\'s http service, such as http://127.0.0.1:27080 (else ROS_URL, else the local configuration\'s)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from remove" -l token -d 'The admin token or a user\'s token (else ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token file)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from remove" -l data-root -l root -d 'Work offline, as the operator, on this stopped server\'s data root (storage.root_path); `--root` is the same' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from remove" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from remove" -l yes -d 'Do not ask for confirmation (needed without a terminal)'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from passwd" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from passwd" -l url -d 'The server\'s http service, such as http://127.0.0.1:27080 (else ROS_URL, else the local configuration\'s)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from passwd" -l token -d 'The admin token or a user\'s token (else ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token file)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from passwd" -l data-root -l root -d 'Work offline, as the operator, on this stopped server\'s data root (storage.root_path); `--root` is the same' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from passwd" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from passwd" -l password-stdin -d 'Read the password from standard input (one line) instead of asking'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from passwd" -l keep-sessions -d 'Keep the user\'s sessions: by default the change logs them out everywhere, so a stolen refresh token stops working'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from passwd" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from grant-admin" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from grant-admin" -l url -d 'The server\'s http service, such as http://127.0.0.1:27080 (else ROS_URL, else the local configuration\'s)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from grant-admin" -l token -d 'The admin token or a user\'s token (else ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token file)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from grant-admin" -l data-root -l root -d 'Work offline, as the operator, on this stopped server\'s data root (storage.root_path); `--root` is the same' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from grant-admin" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from grant-admin" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from revoke-admin" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from revoke-admin" -l url -d 'The server\'s http service, such as http://127.0.0.1:27080 (else ROS_URL, else the local configuration\'s)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from revoke-admin" -l token -d 'The admin token or a user\'s token (else ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token file)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from revoke-admin" -l data-root -l root -d 'Work offline, as the operator, on this stopped server\'s data root (storage.root_path); `--root` is the same' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from revoke-admin" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from revoke-admin" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from disable" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from disable" -l url -d 'The server\'s http service, such as http://127.0.0.1:27080 (else ROS_URL, else the local configuration\'s)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from disable" -l token -d 'The admin token or a user\'s token (else ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token file)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from disable" -l data-root -l root -d 'Work offline, as the operator, on this stopped server\'s data root (storage.root_path); `--root` is the same' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from disable" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from enable" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from enable" -l url -d 'The server\'s http service, such as http://127.0.0.1:27080 (else ROS_URL, else the local configuration\'s)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from enable" -l token -d 'The admin token or a user\'s token (else ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token file)' -r
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from enable" -l data-root -l root -d 'Work offline, as the operator, on this stopped server\'s data root (storage.root_path); `--root` is the same' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from enable" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "list" -d 'List every user'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one user'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "add" -d 'Create a user who logs in with USER as username and a password'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a user (its Realms are kept)'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "passwd" -d 'Set a user\'s password; this ends every session of the user unless `--keep-sessions`'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "grant-admin" -d 'Make a user an admin'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "revoke-admin" -d 'Take admin rights from a user'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Disable a user: no logins, every token refused'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Enable a disabled user again'
complete -c ros -n "__fish_ros_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand permission; and not __fish_seen_subcommand_from list grant revoke offer help" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand permission; and not __fish_seen_subcommand_from list grant revoke offer help" -l url -d 'The server\'s http service, such as http://127.0.0.1:27080 (else ROS_URL, else the local configuration\'s)' -r
complete -c ros -n "__fish_ros_using_subcommand permission; and not __fish_seen_subcommand_from list grant revoke offer help" -l token -d 'The admin token or a user\'s token (else ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token file)' -r
complete -c ros -n "__fish_ros_using_subcommand permission; and not __fish_seen_subcommand_from list grant revoke offer help" -l data-root -l root -d 'Work offline, as the operator, on this stopped server\'s data root (storage.root_path); `--root` is the same' -r -F
complete -c ros -n "__fish_ros_using_subcommand permission; and not __fish_seen_subcommand_from list grant revoke offer help" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand permission; and not __fish_seen_subcommand_from list grant revoke offer help" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand permission; and not __fish_seen_subcommand_from list grant revoke offer help" -f -a "list" -d 'List permission entries, optionally of one Realm or one user'
complete -c ros -n "__fish_ros_using_subcommand permission; and not __fish_seen_subcommand_from list grant revoke offer help" -f -a "grant" -d 'Set flags on USER\'s entry (or with `*` the Realm\'s default entry) for PATH (`*` for every Realm the requester owns). Without flags, an entry that grants nothing is created: it denies, even below a permissive default'
complete -c ros -n "__fish_ros_using_subcommand permission; and not __fish_seen_subcommand_from list grant revoke offer help" -f -a "revoke" -d 'Remove USER\'s entry (or the default entry) on PATH; the user falls back to the Realm\'s default entry'
complete -c ros -n "__fish_ros_using_subcommand permission; and not __fish_seen_subcommand_from list grant revoke offer help" -f -a "offer" -d 'Offers: tokens that grant flags on a Realm to whoever accepts them'
complete -c ros -n "__fish_ros_using_subcommand permission; and not __fish_seen_subcommand_from list grant revoke offer help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from list" -l realm -d 'Only entries on this Realm' -r
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from list" -l user -d 'Only entries of this user (id or username), or `*` for default entries' -r
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from list" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from list" -l url -d 'The server\'s http service, such as http://127.0.0.1:27080 (else ROS_URL, else the local configuration\'s)' -r
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from list" -l token -d 'The admin token or a user\'s token (else ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token file)' -r
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from list" -l data-root -l root -d 'Work offline, as the operator, on this stopped server\'s data root (storage.root_path); `--root` is the same' -r -F
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from list" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from grant" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from grant" -l url -d 'The server\'s http service, such as http://127.0.0.1:27080 (else ROS_URL, else the local configuration\'s)' -r
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from grant" -l token -d 'The admin token or a user\'s token (else ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token file)' -r
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from grant" -l data-root -l root -d 'Work offline, as the operator, on this stopped server\'s data root (storage.root_path); `--root` is the same' -r -F
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from grant" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from grant" -l read -d 'Allow reading (downloading) the Realm'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from grant" -l write -d 'Allow writing (uploading); needs read as well'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from grant" -l manage -d 'Allow managing the Realm\'s permissions'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from grant" -l no-read -d 'Take reading away'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from grant" -l no-write -d 'Take writing away'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from grant" -l no-manage -d 'Take managing away'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from grant" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from revoke" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from revoke" -l url -d 'The server\'s http service, such as http://127.0.0.1:27080 (else ROS_URL, else the local configuration\'s)' -r
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from revoke" -l token -d 'The admin token or a user\'s token (else ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token file)' -r
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from revoke" -l data-root -l root -d 'Work offline, as the operator, on this stopped server\'s data root (storage.root_path); `--root` is the same' -r -F
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from revoke" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from offer" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from offer" -l url -d 'The server\'s http service, such as http://127.0.0.1:27080 (else ROS_URL, else the local configuration\'s)' -r
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from offer" -l token -d 'The admin token or a user\'s token (else ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token file)' -r
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from offer" -l data-root -l root -d 'Work offline, as the operator, on this stopped server\'s data root (storage.root_path); `--root` is the same' -r -F
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from offer" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from offer" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from offer" -f -a "create" -d 'Make an offer for PATH and print its token'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from offer" -f -a "accept" -d 'Accept an offer: as the token\'s user, or for --user (admins, and offline)'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from offer" -f -a "list" -d 'List the offers you made (every offer, for an admin)'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from offer" -f -a "revoke" -d 'Revoke an offer: it can no longer be accepted; what it granted stays'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from offer" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from help" -f -a "list" -d 'List permission entries, optionally of one Realm or one user'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from help" -f -a "grant" -d 'Set flags on USER\'s entry (or with `*` the Realm\'s default entry) for PATH (`*` for every Realm the requester owns). Without flags, an entry that grants nothing is created: it denies, even below a permissive default'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Remove USER\'s entry (or the default entry) on PATH; the user falls back to the Realm\'s default entry'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from help" -f -a "offer" -d 'Offers: tokens that grant flags on a Realm to whoever accepts them'
complete -c ros -n "__fish_ros_using_subcommand permission; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand realm; and not __fish_seen_subcommand_from list show delete help" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand realm; and not __fish_seen_subcommand_from list show delete help" -l url -d 'The server\'s http service, such as http://127.0.0.1:27080 (else ROS_URL, else the local configuration\'s)' -r
complete -c ros -n "__fish_ros_using_subcommand realm; and not __fish_seen_subcommand_from list show delete help" -l token -d 'The admin token or a user\'s token (else ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token file)' -r
complete -c ros -n "__fish_ros_using_subcommand realm; and not __fish_seen_subcommand_from list show delete help" -l data-root -l root -d 'Work offline, as the operator, on this stopped server\'s data root (storage.root_path); `--root` is the same' -r -F
complete -c ros -n "__fish_ros_using_subcommand realm; and not __fish_seen_subcommand_from list show delete help" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand realm; and not __fish_seen_subcommand_from list show delete help" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand realm; and not __fish_seen_subcommand_from list show delete help" -f -a "list" -d 'List the Realms you manage (every Realm, for an admin)'
complete -c ros -n "__fish_ros_using_subcommand realm; and not __fish_seen_subcommand_from list show delete help" -f -a "show" -d 'Show a Realm: its owner and every permission entry on it'
complete -c ros -n "__fish_ros_using_subcommand realm; and not __fish_seen_subcommand_from list show delete help" -f -a "delete" -d 'Delete a Realm: its data, and its permission entries and offers. Clients bound to it are told to reset (sync error 217); with the server stopped, the Realm is removed from the data root directly'
complete -c ros -n "__fish_ros_using_subcommand realm; and not __fish_seen_subcommand_from list show delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from list" -l owner -d 'Only Realms of this owner (id or username)' -r
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from list" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from list" -l url -d 'The server\'s http service, such as http://127.0.0.1:27080 (else ROS_URL, else the local configuration\'s)' -r
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from list" -l token -d 'The admin token or a user\'s token (else ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token file)' -r
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from list" -l data-root -l root -d 'Work offline, as the operator, on this stopped server\'s data root (storage.root_path); `--root` is the same' -r -F
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from list" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from show" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from show" -l url -d 'The server\'s http service, such as http://127.0.0.1:27080 (else ROS_URL, else the local configuration\'s)' -r
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from show" -l token -d 'The admin token or a user\'s token (else ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token file)' -r
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from show" -l data-root -l root -d 'Work offline, as the operator, on this stopped server\'s data root (storage.root_path); `--root` is the same' -r -F
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from show" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from delete" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from delete" -l url -d 'The server\'s http service, such as http://127.0.0.1:27080 (else ROS_URL, else the local configuration\'s)' -r
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from delete" -l token -d 'The admin token or a user\'s token (else ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token file)' -r
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from delete" -l data-root -l root -d 'Work offline, as the operator, on this stopped server\'s data root (storage.root_path); `--root` is the same' -r -F
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from delete" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from delete" -l yes -d 'Do not ask (needed without a terminal)'
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the Realms you manage (every Realm, for an admin)'
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a Realm: its owner and every permission entry on it'
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a Realm: its data, and its permission entries and offers. Clients bound to it are told to reset (sync error 217); with the server stopped, the Realm is removed from the data root directly'
complete -c ros -n "__fish_ros_using_subcommand realm; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -l realm -d 'The Realm to bind [default: /__probe/health, or with --write a new scratch Realm, /__probe/<random>]' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -l token -d 'The token to connect with (else --token-file, ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token)' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -l token-file -d 'A file holding the token' -r -F
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -l username -d 'Log in as this user of the password provider (POST /auth on the URL\'s http service, or the local server\'s) and probe with the user\'s token' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -l app-id -d 'Log in as a Realm SDK does through the app client API of app ID (location, login, profile, each timed), then probe the sync route the location names with the access token, binding the user\'s own partition unless --realm is given' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -l email -d 'With --app-id: log in as this email/password user' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -l timeout -d 'The limit of each step (connecting: DNS, TCP, TLS and upgrade together)' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -l ca-cert -d 'Trust the CA certificates in this PEM file (wss://)' -r -F
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -l protocol -d 'The sync protocol versions to offer: one (8) or a range (2-7) [default: 2-14, as current clients]' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -l expect -d 'A threshold, STEP<DURATION (e.g. roundtrip<50ms, connect<1s); with --count the step\'s p99 is compared. A missed one exits 1' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -l count -d 'How many probes to run' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -l interval -d 'The time from the start of one probe to the start of the next' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -l password-stdin -d 'Read the password from standard input (else it is asked for on the terminal)'
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -l anonymous -d 'With --app-id: log in anonymously'
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -l insecure -d 'Accept any TLS certificate (wss://)'
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -l write -d 'Also upload a small changeset and time it until it arrives on a second connection'
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -a "bench" -d 'Load a sync server: N sessions on R scratch Realms upload changesets and integrate each other\'s; report throughput and upload → download latency'
complete -c ros -n "__fish_ros_using_subcommand probe; and not __fish_seen_subcommand_from bench help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l sessions -d 'Concurrent sessions' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l connections -d 'Connections the sessions share, round robin (several sessions on one connection, as an app with several Realms) [default: one per session]' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l writers -d 'Sessions per Realm that upload (the first ones of each Realm); the others only read [default: all]. `--writers 1` is a fan-out: one writer, many readers' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l readers -d 'What the sessions that only read do with each DOWNLOAD: `integrate` (check, merge and apply it, as a real client) or `parse` (decode it and note its arrival only, which leaves the CPU to the server when the bench runs on the server\'s machine)' -r -f -a "integrate\t''
parse\t''"
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l changesets -d 'Changesets each writer uploads (with --duration: at most this many; 0 = no limit)' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l instructions -d 'Instructions per changeset: one object creation, then updates of it' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l realms -d 'Scratch Realms the sessions are spread over (/__probe/bench-<random>-<i>)' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l rate -d 'Open loop: changesets per second over all sessions [default: closed loop, each session uploads once its previous changeset is acknowledged]' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l think -d 'Closed loop: wait this long after each acknowledgement before the next upload (a user\'s pause between changes) [default: none]' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l duration -d 'Stop uploading after this long (else after --changesets each)' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l token -d 'The token to connect with (else --token-file, ROS_TOKEN, ROS_TOKEN_FILE, else the local configuration\'s admin token)' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l token-file -d 'A file holding the token' -r -F
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l timeout -d 'The limit of connecting and of waiting for the server after the last upload' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l ca-cert -d 'Trust the CA certificates in this PEM file (wss://)' -r -F
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l compare -d 'Compare with a previous JSON report: print the change of each figure and exit 1 when one regressed past --max-regression' -r -F
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l max-regression -d 'The regression, in percent, --compare tolerates (throughput lower or latency higher)' -r
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l report -d 'Compare this saved JSON report instead of running a bench (with --compare)' -r -F
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l config -d 'Configuration file (else ROS_CONFIG, else ./configuration.yml)' -r -F
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l offline -d 'Writers commit all their changesets before connecting, then sync them at once (clients coming back online); throughput is acknowledgements until the last one'
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -l insecure -d 'Accept any TLS certificate (wss://)'
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from bench" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from help" -f -a "bench" -d 'Load a sync server: N sessions on R scratch Realms upload changesets and integrate each other\'s; report throughput and upload → download latency'
complete -c ros -n "__fish_ros_using_subcommand probe; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -l interval -d 'How often --follow looks for new changesets' -r
complete -c ros -n "__fish_ros_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -l format -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -l include-keys -d 'Also back up the admin token file and, when SOURCE is a configuration file, its key pair. The backup then holds secrets: keep it as safe as the keys'
complete -c ros -n "__fish_ros_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -l follow -d 'After the backup, keep TARGET current as changesets commit, until stopped'
complete -c ros -n "__fish_ros_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -a "verify" -d 'Re-read every file of a backup against its manifest and check every database'
complete -c ros -n "__fish_ros_using_subcommand backup; and not __fish_seen_subcommand_from verify help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand backup; and __fish_seen_subcommand_from verify" -l format -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand backup; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Re-read every file of a backup against its manifest and check every database'
complete -c ros -n "__fish_ros_using_subcommand backup; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand restore" -l format -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand restore" -s y -l yes -d 'Replace ROOT without asking (needed without a terminal)'
complete -c ros -n "__fish_ros_using_subcommand restore" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand changeset; and not __fish_seen_subcommand_from decode help" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand changeset; and not __fish_seen_subcommand_from decode help" -f -a "decode" -d 'Decode a changeset (binary or hex, detected) and print its instructions (the JSON shape is documented in docs/changeset-json.md)'
complete -c ros -n "__fish_ros_using_subcommand changeset; and not __fish_seen_subcommand_from decode help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand changeset; and __fish_seen_subcommand_from decode" -l format -d 'Output format: table for people, json for scripts (docs/cli-json.md); `text` is accepted as another name for table' -r -f -a "table\t''
json\t''"
complete -c ros -n "__fish_ros_using_subcommand changeset; and __fish_seen_subcommand_from decode" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand changeset; and __fish_seen_subcommand_from help" -f -a "decode" -d 'Decode a changeset (binary or hex, detected) and print its instructions (the JSON shape is documented in docs/changeset-json.md)'
complete -c ros -n "__fish_ros_using_subcommand changeset; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand generate-assets" -l out -d 'Directory that receives `man/` and `completions/`' -r -F
complete -c ros -n "__fish_ros_using_subcommand generate-assets" -s h -l help -d 'Print help'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init token user permission realm probe backup restore changeset generate-assets help" -f -a "serve" -d 'Run the server (sync, http and proxy listeners) until SIGINT or SIGTERM'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init token user permission realm probe backup restore changeset generate-assets help" -f -a "start" -d 'Run the server with the original 3.x `ros start` flags'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init token user permission realm probe backup restore changeset generate-assets help" -f -a "check-configuration" -d 'Check a configuration and report every problem found, with file, line and column'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init token user permission realm probe backup restore changeset generate-assets help" -f -a "init" -d 'Create a configuration file, a key pair and a data directory'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init token user permission realm probe backup restore changeset generate-assets help" -f -a "token" -d 'Key pairs, the admin token, minted tokens and what a token says'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init token user permission realm probe backup restore changeset generate-assets help" -f -a "user" -d 'Manage users, through a running server or offline with --data-root'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init token user permission realm probe backup restore changeset generate-assets help" -f -a "permission" -d 'Who may read, write and manage which Realm; offers that share a Realm by token'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init token user permission realm probe backup restore changeset generate-assets help" -f -a "realm" -d 'The Realms the server knows, their owners and permissions'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init token user permission realm probe backup restore changeset generate-assets help" -f -a "probe" -d 'Probe a sync server as a client would, timing each step of a session'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init token user permission realm probe backup restore changeset generate-assets help" -f -a "backup" -d 'Back up a data root while the server runs (or `backup verify` a backup)'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init token user permission realm probe backup restore changeset generate-assets help" -f -a "restore" -d 'Replace a data root with a verified backup (the server must be stopped)'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init token user permission realm probe backup restore changeset generate-assets help" -f -a "changeset" -d 'Inspect changesets (the binary format clients upload)'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init token user permission realm probe backup restore changeset generate-assets help" -f -a "generate-assets" -d 'Write the man pages and shell completions generated from this CLI'
complete -c ros -n "__fish_ros_using_subcommand help; and not __fish_seen_subcommand_from serve start check-configuration init token user permission realm probe backup restore changeset generate-assets help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "keygen" -d 'Write a new RSA key pair: auth.key (mode 0600) and auth.pub'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "admin" -d 'Print the admin token of the local server (made when missing)'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "create" -d 'Sign a token with the local server\'s private key'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "inspect" -d 'Check a token\'s signature and times and show what it says (exit 1 if not valid)'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "list" -d 'List every user'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "show" -d 'Show one user'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "add" -d 'Create a user who logs in with USER as username and a password'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "remove" -d 'Remove a user (its Realms are kept)'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "passwd" -d 'Set a user\'s password; this ends every session of the user unless `--keep-sessions`'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "grant-admin" -d 'Make a user an admin'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "revoke-admin" -d 'Take admin rights from a user'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "disable" -d 'Disable a user: no logins, every token refused'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "enable" -d 'Enable a disabled user again'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from permission" -f -a "list" -d 'List permission entries, optionally of one Realm or one user'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from permission" -f -a "grant" -d 'Set flags on USER\'s entry (or with `*` the Realm\'s default entry) for PATH (`*` for every Realm the requester owns). Without flags, an entry that grants nothing is created: it denies, even below a permissive default'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from permission" -f -a "revoke" -d 'Remove USER\'s entry (or the default entry) on PATH; the user falls back to the Realm\'s default entry'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from permission" -f -a "offer" -d 'Offers: tokens that grant flags on a Realm to whoever accepts them'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from realm" -f -a "list" -d 'List the Realms you manage (every Realm, for an admin)'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from realm" -f -a "show" -d 'Show a Realm: its owner and every permission entry on it'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from realm" -f -a "delete" -d 'Delete a Realm: its data, and its permission entries and offers. Clients bound to it are told to reset (sync error 217); with the server stopped, the Realm is removed from the data root directly'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from probe" -f -a "bench" -d 'Load a sync server: N sessions on R scratch Realms upload changesets and integrate each other\'s; report throughput and upload → download latency'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from backup" -f -a "verify" -d 'Re-read every file of a backup against its manifest and check every database'
complete -c ros -n "__fish_ros_using_subcommand help; and __fish_seen_subcommand_from changeset" -f -a "decode" -d 'Decode a changeset (binary or hex, detected) and print its instructions (the JSON shape is documented in docs/changeset-json.md)'
