# flack-server %post: as the systemd_post macro does, the distribution's preset decides
# whether the service is enabled on first installation ($1 = 1).
if [ "$1" -eq 1 ] && [ -d /run/systemd/system ]; then
    systemctl --no-reload preset flack-server.service >/dev/null 2>&1 || :
fi
exit 0
