-- wrk script: each request uploads a new 12-byte text file as multipart/form-data to the URL given
-- on wrk's command line (a record's attachments); the token comes with -H "Authorization: …".
math.randomseed(os.time())
wrk.method = "POST"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=b"
request = function()
    local text = string.format("%011d", math.random(0, 99999999999)) .. "\n"
    local body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"n.txt\"\r\n\r\n" .. text .. "\r\n--b--\r\n"
    return wrk.format(nil, nil, nil, body)
end
