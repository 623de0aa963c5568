# flack-server %postun: systemd rereads its units; an upgrade ($1 >= 1) restarts the service.
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || :
    if [ "$1" -ge 1 ]; then
        systemctl try-restart flack-server.service >/dev/null 2>&1 || :
    fi
fi
exit 0
