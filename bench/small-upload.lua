-- wrk script: each request uploads a new small text file as multipart/form-data to the URL given on
-- wrk's command line (a record's attachments); the token comes with -H "Authorization: …". Every body
-- is content never stored before: the run's start time, the thread's number and the thread's count of
-- requests (wrk runs each thread's script in a state of its own), 25 bytes in all.
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("id", threads)
end

local sent = 0
local nonce = os.time()
wrk.method = "POST"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=b"
request = function()
    sent = sent + 1
    local text = string.format("%010d-%02d-%010d\n", nonce, id or 0, sent)
    local body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"n.txt\"\r\n\r\n" .. text .. "\r\n--b--\r\n"
    return wrk.format(nil, nil, nil, body)
end
