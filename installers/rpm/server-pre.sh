# flack-server %pre: the service's system user, before its files are installed.
getent group flack >/dev/null || groupadd -r flack
getent passwd flack >/dev/null || \
    useradd -r -g flack -d /var/lib/flack -s /sbin/nologin -c "Flack chat server" flack
exit 0
