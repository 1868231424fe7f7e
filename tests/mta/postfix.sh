# Shared by tests/mta/run and bench/mta: a real MTA (Debian's postfix) on
# 127.0.0.1 that takes every @example.net and @example.org address and
# delivers it to one local Maildir (user `oyezmail`), where the
# X-Original-To header says which recipient each copy was for.
# Source it; needs root. Functions: mta_install, mta_start PORT, mta_wait N [MAILDIR]
# (N messages there, in new/ or cur/, and the queue empty),
# mta_copies, mta_stop.

MTA_USER=oyezmail
MTA_MAILDIR=/home/$MTA_USER/Maildir
MTA_LOG=/var/log/oyez-postfix.log

mta_install() {
  if ! command -v postfix >/dev/null 2>&1 || ! [ -x /usr/sbin/postconf ]; then
    export DEBIAN_FRONTEND=noninteractive
    echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
    echo "postfix postfix/mailname string oyez-mta.localdomain" | debconf-set-selections
    apt-get update -qq
    apt-get install -y -qq postfix >/dev/null
  fi
  id "$MTA_USER" >/dev/null 2>&1 || useradd --create-home --shell /usr/sbin/nologin "$MTA_USER"
}

# Configures postfix to listen on 127.0.0.1:PORT only (master.cf; the
# standard port-25 listener is switched off), then starts it with an empty
# mailbox and queue.
mta_start() {
  local port="$1"
  postfix stop >/dev/null 2>&1 || true
  postconf -e \
    "myhostname = oyez-mta.localdomain" \
    "myorigin = \$myhostname" \
    "mydestination = localhost, \$myhostname" \
    "inet_interfaces = loopback-only" \
    "inet_protocols = ipv4" \
    "mynetworks = 127.0.0.0/8" \
    "virtual_alias_domains = example.net, example.org" \
    "virtual_alias_maps = regexp:/etc/postfix/oyez-catch-all" \
    "home_mailbox = Maildir/" \
    "mailbox_command =" \
    "relayhost =" \
    "in_flow_delay = 0" \
    "smtpd_peername_lookup = no" \
    "local_destination_concurrency_limit = 8" \
    "maillog_file = $MTA_LOG" \
    "compatibility_level = 3.6"
  printf '/@example\\.(net|org)$/ %s\n' "$MTA_USER" >/etc/postfix/oyez-catch-all
  postconf -M# smtp/inet
  postconf -MX "127.0.0.1:$port/inet" 2>/dev/null || true
  # Loopback only, so no STARTTLS (Debian's snakeoil certificate would not verify).
  postconf -M "127.0.0.1:$port/inet=127.0.0.1:$port inet n - n - - smtpd -o smtpd_tls_security_level=none"
  newaliases
  rm -rf "$MTA_MAILDIR"
  postsuper -d ALL >/dev/null 2>&1 || true
  : >"$MTA_LOG"
  # MTA_QUEUE_TMPFS=1 (benchmarks only): the queue on tmpfs, so postfix's
  # fsyncs cost nothing and what is left is oyez's own cost.
  if [ -n "${MTA_QUEUE_TMPFS:-}" ] && ! mountpoint -q /var/spool/postfix; then
    local copy
    copy="$(mktemp -d)"
    cp -a /var/spool/postfix/. "$copy/"
    mount -t tmpfs -o size=512m tmpfs /var/spool/postfix
    cp -a "$copy/." /var/spool/postfix/
    rm -rf "$copy"
  fi
  postfix check
  postfix start >/dev/null
  local tries=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -lt 100 ] || { echo "postfix did not listen on 127.0.0.1:$port" >&2; return 1; }
    sleep 0.1
  done
}

# Waits until N copies sit in the mailbox and the queue is empty.
mta_wait() {
  local want="$1" maildir="${2:-$MTA_MAILDIR}" tries=0 have
  while :; do
    have=$( (find "$maildir/new" "$maildir/cur" -type f 2>/dev/null || true) | wc -l)
    if [ "$have" -ge "$want" ] && postqueue -p | grep -q '^Mail queue is empty'; then
      return 0
    fi
    tries=$((tries + 1))
    if [ "$tries" -ge 1200 ]; then
      echo "postfix delivered $have of $want messages to $maildir within 120 s; see $MTA_LOG" >&2
      return 1
    fi
    sleep 0.1
  done
}

# One line per recipient: "COUNT address", from each copy's X-Original-To.
mta_copies() {
  find "$MTA_MAILDIR/new" -type f -print0 |
    xargs -0 grep -h -m1 -i '^X-Original-To:' |
    awk '{print tolower($2)}' | sort | uniq -c | awk '{print $1, $2}'
}

mta_stop() {
  postfix stop >/dev/null 2>&1 || true
  if [ -n "${MTA_QUEUE_TMPFS:-}" ] && mountpoint -q /var/spool/postfix; then
    umount /var/spool/postfix
  fi
}
