#!/usr/bin/env bash
# Posts one signed event to a running ledgerbot (default: the demo on 127.0.0.1:8080) through the
# generic adapter, the way a chat bridge would. Usage:
#   scripts/demo-post.sh                 # a sample visit report
#   scripts/demo-post.sh "message text"  # your own text, as 张三 in the demo project group
set -euo pipefail
url=${LEDGERBOT_URL:-http://127.0.0.1:8080/hooks/generic}
secret=${LEDGERBOT_GENERIC_SECRET:-ledgerbot-dev-secret}
text=${1:-$'【走访记录】\n企业名称：示例科技\n走访时间：昨天 下午3点\n走访方式：实地走访\n走访人员：张三、李四\n走访内容：了解企业年度融资计划\n客户反馈：希望对接银行和股权投资机构\n企业联系人：王总 13912345678\n服务需求：股权融资；挂牌辅导'}
body=$(python3 -c 'import json,sys,time,uuid; print(json.dumps({"id": str(uuid.uuid4()), "type": "message", "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "chat": {"id": "demo-group", "name": "宁夏示例科技有限公司服务项目专属服务群"}, "sender": {"id": "zhangsan", "name": "张三"}, "text": sys.argv[1]}, ensure_ascii=False))' "$text")
ts=$(date +%s)
sig=$(printf '%s.%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$secret" | awk '{print $NF}')
curl -sS -X POST "$url" -H "Content-Type: application/json" -H "X-Ledgerbot-Timestamp: $ts" \
  -H "X-Ledgerbot-Signature: sha256=$sig" --data-binary "$body"
echo
sleep 1
[[ -f var/outbox.jsonl ]] && tail -n 1 var/outbox.jsonl | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["text"])'
