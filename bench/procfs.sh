# What the bench scripts read about a running process from /proc and ss, and how they turn it into
# time per request; sourced, never run. Defines functions and constants only (no trap), so scripts
# that measure servers they did not start can source it too.

# server_pid PORT: the pid of the process listening on loopback PORT (empty if none).
server_pid() { ss -ltnp "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }

# user_sys_ticks PID: "utime stime" in clock ticks (fields 14 and 15 of /proc/PID/stat; the name may hold spaces).
user_sys_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12, $13 }'; }

# cpu_ticks PID: utime + stime in clock ticks.
cpu_ticks() { user_sys_ticks "$1" | awk '{ print $1 + $2 }'; }

ticks_per_second=$(getconf CLK_TCK)

# ns_per_request TICKS REQUESTS: clock ticks of CPU spread over REQUESTS, in ns each.
ns_per_request() { echo $(( $1 * 1000000000 / ticks_per_second / $2 )); }
