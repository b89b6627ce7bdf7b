#!/bin/bash
# The image's HEALTHCHECK, suited to what the container runs. A service (api, worker or all: no arguments after
# the jar) is healthy while /q/health/ready answers 200: PostgreSQL reachable and, where it runs workers, its
# kinds' queues consumed. A command (a CronJob's, compose's one-shots) opens no port: healthy while it runs.
# Plain bash (/dev/tcp): the runtime image has no curl to rely on.
args=$(tr '\0' '\n' < /proc/1/cmdline | sed -n '/quarkus-run\.jar$/,$p' | tail -n +2)
[ -n "$args" ] && exit 0
exec 3<>"/dev/tcp/127.0.0.1/${PORT:-8080}" || exit 1
printf 'GET /q/health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS= read -r -t 3 status <&3 || exit 1
[[ $status == *" 200 "* ]]
