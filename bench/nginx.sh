# Sourced by the benchmarks: nginx as the reference server, configured for speed as a user would
# (sendfile, no access log), serving FOLDER/nginx/www (a 1 KB small.bin made here) and taking WebDAV PUTs
# under /dav/.
#
# start_reference_nginx FOLDER PORT: starts it; stop it with `nginx -p FOLDER/nginx -c nginx.conf -s stop`.
start_reference_nginx() {
    local folder=$1/nginx port=$2
    mkdir -p "$folder/www" "$folder/dav" "$folder/tmp" "$folder/logs"
    head -c 1024 /dev/urandom >"$folder/www/small.bin"
    cat >"$folder/nginx.conf" <<CONF
user root;
worker_processes auto;
pid $folder/nginx.pid;
error_log $folder/logs/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path $folder/tmp;
    client_max_body_size 200m;
    server {
        listen 127.0.0.1:$port;
        location / { root $folder/www; }
        location /dav/ { root $folder; dav_methods PUT; create_full_put_path on; }
    }
}
CONF
    nginx -p "$folder" -c nginx.conf
}
