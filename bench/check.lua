-- wrk script: POST the same credit check again and again.
-- Usage: wrk -t2 -c16 -d20s --latency -s bench/check.lua http://127.0.0.1:8080/api/v1/checks
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"subject":{"uscc":"91410104MAN0NYBQX1","name":"郑州市管城回族区火线网络会所"},
"persons":[{"role":"legal-representative","name":"尹然梅","id_number":"410104198405227240"}],
"sector":"cultural-market","purpose":"licensing","licence_type":"internet-cafe","as_of":"2026-11-30"}]]
