<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AsOfPage</name>
    <message>
        <source>期别：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>含待审核</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>也计入已上报未审核和县级录入的数据（正式通报只计已接收的数据）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>刷新(F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>招商：签约项目{signed}个（本年{year}个），合同投资{contract}万元，已开工{started}个，到位资金{funds}万元</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{y}年{m}月</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BackupsPage</name>
    <message>
        <source>备份与恢复</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>立即备份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>恢复所选备份…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打开备份文件夹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>刷新</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>服务器数据库由服务器上的计划任务每天备份（pg_dump），升级前也会自动备份，每类保留最近几份。备份文件夹：{folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>程序每天第一次启动时、升级前、导入和合并前都会自动备份，每类保留最近几份。备份文件夹：{folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {n} 份备份，最新的在最上面。双击一份备份可以恢复它。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还没有备份。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已备份：{path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在备份…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChainsPage</name>
    <message>
        <source>产业链工作台（链长制）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>产业链：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>链长视图</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打开本链链长的县领导视图</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>企业</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>项目与招商</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>问题</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{period}期：企业{n}户（链主企业{leaders}户），1-本月累计{output}万元；项目{p}个（亿元级{big}个），年度计划投资{plan}万元、已完成{done}万元（{rate}）；{promotion}；未办结问题{open}条，其中逾期{late}条。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>链长：{leader}&#x3000;牵头部门：{department}&#x3000;工作专班：{force}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（未指定）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（未填）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无年度计划</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChildDialog</name>
    <message>
        <source>培育名录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>一企一策措施</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>填报措施进展</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>年度数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>年度计划投资</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>项目状态</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChildTable</name>
    <message>
        <source>添加…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除（录入有误）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConfirmPage</name>
    <message>
        <source>确认</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请核对以下信息，点击“完成”后创建本机数据库。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据保存在本机的用户数据目录中。填报单位创建后不能更改；如选错，请联系县级管理员。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用途：{role}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（先试用：培训/演示数据库）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>填报单位：{unit}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>衡东县（县级）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>操作员：{name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>县级密钥：{fp}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（已核对）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>以后在“上报”页面导入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>签名密钥：{p}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>设有口令</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未设口令</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>含待审核：已上报未审核和县级录入的数据也计入，不是可以发布的正式口径。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>分领域</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>目标产业</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>月度趋势</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上报情况</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>问题清单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>产业发展“百十亿”工程 驾驶舱</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>期别：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>含待审核</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>也计入已上报未审核和县级录入的数据（正式通报只计已接收的数据）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>刷新(F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{y}年{m}月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>双击（或选中后按回车）任一数字，列出计入的产业、企业或项目。达到目标的格子显示为绿色。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>产业：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记企业1-各月累计（亿元，按领域口径）：本年与上年逐月对比；虚线为年度目标。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {n} 户，1-本月累计合计 {t} 万元（{y} 亿元）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>逾期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>办理最久的问题排在最前，超过90天的标红（“包而不推、推而不快”）。双击类别或责任单位，列出其全部未解决问题。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在计算 {p} …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>计算失败</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全县合计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>县发改局统筹项目</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已更新：{y}年{m}月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>百亿级产业＝目标产业全年规模≥{a}亿元；十亿级企业＝企业全年规模≥{b}亿元；亿元级项目（实施）＝总投资≥{c}亿元且截至本期状态为{s}。某月未报的沿用最近一次累计数；调出的企业和项目不计。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} 1-各月累计（亿元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{y}年</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>各领域目标完成率（%，达成数 ÷ 目标数）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>项目与招商</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>目标（100%）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>年度目标</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部目标产业合计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1-本月累计（亿元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>年度目标（亿元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{m}月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{unit} {p}：{s}{late}，应于{due}前上报</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（逾期）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>单位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{p}：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{s} {n} 个</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>；逾期 {n} 个（每月{d}日前报上月数据）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>待处理冲突：{c}&#x3000;疑似重复企业：{d}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>截至{d}，未解决问题共 {n} 条；办理时间最长的 {k} 条：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全县</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{scope} {label}（{when}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} 的企业（{p}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未解决问题：{what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {n} 个，总投资合计 {t} 万元。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {n} 个产业达到百亿级。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {n} 条未解决问题。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DomainNotesPage</name>
    <message>
        <source>领域情况说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本期本领域的发展情况、推进的工作、需要协调的事项……</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{period}期各领域的情况说明。牵头部门填写本部门牵头领域的说明，办公室可填写全部领域。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（未填）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{who}于{when}填写</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（未署名）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只有本领域的牵头部门和办公室可以填写。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DrillDownDialog</name>
    <message>
        <source>复制列表（可粘贴到Excel）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnterpriseEditor</name>
    <message>
        <source>一家企业可同时在多个培育名录中；调出某个名录时填写调出日期和原因。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>每年一行：全年产值、营业收入、税收和年末从业人员（万元、人）。未填报12月累计数的年度，汇总按这里的全年数计算。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>年度数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>一企一策台账：每项帮扶措施写明责任单位（从县直牵头部门和乡镇中选）、责任人、完成时限、推进状态和进展；针对本企业某个问题的措施，在“关联问题”中选出该问题。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>填报进展…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请先选择一项已保存的措施。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>一企一策</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>培育名录</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnterprisesPage</name>
    <message>
        <source>打印培育表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记问题…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExplainDialog</name>
    <message>
        <source>填写说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>以下审核警告需要填写说明后才能上报。说明会随数据一起报送县级。
暂时不清楚可以留空，先保存，之后在审核中补填。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>说明（至少{n}个字）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilePage</name>
    <message>
        <source>选择Excel文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>可以使用本系统的Excel模板，也可以使用自己的表格：表头含有模板中的列名即可，列的顺序不限。下一步只检查，不会写入任何数据。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>要导入的.xlsx文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>浏览(&amp;B)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下载Excel模板…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择要导入的Excel文件</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GridModel</name>
    <message>
        <source>企业名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>项目名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>所属单位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>总投资</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本期状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>项目状态为“{s}”，本期可不填报</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本行有未保存的修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>项目截至本期的状态（状态记录中本期及以前最近的一条），在项目的“项目生命周期”中修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本行以下警告须填写说明（至少6个字为宜）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本行没有需要说明的警告</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按上月累计加本月自动填写，可直接修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上月（{p}）：{v}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>操作员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>来源</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>操作</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>对象</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>字段</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>原值</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新值</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IdentityPage</name>
    <message>
        <source>县级身份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入县里发来的“县级身份文件”，并打电话与县里核对密钥指纹。上报包只加密给核对过的县级密钥。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>尚未选择县级身份文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择文件…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>我已打电话与县里逐组核对，指纹一致</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>手头没有身份文件时可以直接点“下一步”，以后在“上报”页面导入。指纹对不上时不要继续，请与县里联系：可能有人冒充县里。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择县级身份文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>县级身份文件：{f}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>县级密钥指纹：{fp}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportPage</name>
    <message>
        <source>导入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>冲突</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>采用单位上报的值</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保留县级现值</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重复企业</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>记录处理意见…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>密钥</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记单位密钥…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>吊销…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出县级身份文件…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>更换县级密钥…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>口令要求…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>把上报包（.hdpkg）拖到这里，或点“添加文件”。先校验，再预览，确认后合并。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>校验全部</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>预览合并</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>合并</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>添加文件…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>清空列表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>期别：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审核</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>接收</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退回…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>生成下发包…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>基础数据下发包（全部单位）…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>县级操作日志（全部）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>县级操作日志（合并）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查看：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>操作日志</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>冲突（{n}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重复企业（{n}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>单位日志：{p}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择上报包</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请先添加上报包文件。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>合并完成</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已合并{merged}个上报包，拒绝{refused}个，其余为重复导入。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在校验…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在预览…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在合并…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>处理意见（如：同一企业，由某单位填报）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请先在表中选择一个单位。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>生成下发包</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下发包已生成</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在生成下发包…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>生成基础数据下发包</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>基础数据下发包已生成</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在生成基础数据下发包…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择乡镇的密钥登记文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记单位密钥</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>密钥登记</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未登记{unit}的密钥。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{verb}{unit}的密钥（指纹 {fp}）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请先在表中选择一个有效的密钥。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>吊销{unit}的密钥，立即生效，此后该密钥签名的包一律拒绝。原因：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>最后一个可信的上报包序号（不填则为已合并的最后一个；如知道密钥何时泄露，填泄露前收到的序号）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>序号应为数字，未吊销。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出县级身份文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>县级身份文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已导出到 {path}。
把它交给各乡镇（U盘或邮件均可），乡镇导入时须电话核对县级密钥指纹：
{fp}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>更换县级密钥</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>更换后，旧密钥签署一份更换记录，随此后的每个下发包发给乡镇，乡镇应用后自动改用新密钥；旧私钥将被删除。确定更换吗？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已更换县级密钥，新指纹：{fp}。请重新导出县级身份文件备用。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>口令要求</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>签名密钥口令至少多少个字符？（0表示可不设口令；随下发包通知各单位）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请填写数字。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已登记过</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已登记</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>该单位原来的密钥已停用，用它签名的上报包不再接收。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>吊销密钥</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <source>从Excel导入</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LeaderPage</name>
    <message>
        <source>县领导视图（链长制）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>县领导：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>领衔产业链</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>联系项目</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>联系企业</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>督办问题</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>产业链招商</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>双击或按回车打开该产业链的工作台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>尚无县领导可看：请在“基础数据”中录入县领导，并设为产业链的链长或项目、企业的联系县领导。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{chain}（牵头部门：{department}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未指定</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{leader}&#x3000;领衔产业链：{chains}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{period}期&#x3000;领衔产业链{n}条：企业{e}户，1-本月累计{output}万元；项目{p}个；{promotion}。
联系项目{lp}个：年度计划投资{plan}万元，本年完成{done}万元（{rate}），{warned}个有预警；联系企业{le}户。
督办问题：未办结{open}条，其中逾期{late}条（逾期督办{escalated}条）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无年度计划</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LibraryPage</name>
    <message>
        <source>Ctrl+F 到这里；Esc 清空</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新建（Ctrl+N）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查看/修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{word}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>恢复</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已显示 {m} {word}，正在统计总数…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {n} {word}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（已显示 {m}，向下滚动加载更多）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{name}”将{word}，记录和历史数据都会保留，以后可以恢复。请填写原因：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请先在列表中选择要打印的记录（可按住Ctrl多选）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>企业库</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>搜索企业名称或信用代码中的任意几个字</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调出名录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>项目库</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>个</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>搜索项目名称或项目编号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除项目</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>问题清单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>条</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>搜索问题描述或企业、项目名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除问题</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ListTab</name>
    <message>
        <source>新增{what}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>停用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>启用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新增{what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改{what}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ListingModel</name>
    <message>
        <source>此列不能排序</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>{app} — {unit}（{role}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退出(&amp;X)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>单位：{unit}（{role}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在打开数据库……</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>【{label}】</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>账号：{account}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审核：计算中…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当前期别：{period}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审核：{n} 条待处理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审核：全部通过</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审核：无法计算</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在生成演示数据…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MeasuresPage</name>
    <message>
        <source>一企一策台账</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>搜索企业、措施、责任单位、责任人或进展</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+F 到这里；Esc 清空</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>责任单位：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部责任单位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本部门（{names}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>推进状态：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只看逾期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>逾期：已过完成时限、推进状态不是“已完成”或“已中止”的措施（标红）。双击或按回车打开企业的一企一策；措施在企业信息中修改，责任单位在那里填报进展。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>双击或按回车打开该企业的一企一策</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {n} 项，逾期 {k} 项</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MonthlyPage</name>
    <message>
        <source>月度调度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>期别：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部单位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>金额单位：万元</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存（Ctrl+S）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>放弃修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>企业调度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>项目调度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在读取 {p} 的数据…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>企业调度（{n}户）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>项目调度（{n}个）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;上报前审核&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;数据审核&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按已保存的数据统计，错误和未说明的警告含全部期别（导出上报包时同样审核）；双击一项跳到对应单元格或记录。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{p}未填报的企业 {me} 户、项目 {mp} 个（应填报企业 {ne} 户、已实施项目 {np} 个）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>；项目预警 {n} 条（不影响上报）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>；项目预警 {n} 条（仅提示）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{u}：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>各期没有错误和未说明的警告；</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>待处理 {n} 条（错误 {e} 条，未说明的警告 {w} 条，含各期）；</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{p}：数据已齐全，各期没有错误和未说明的警告，可以上报。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>各期没有错误和未说明的警告，可以上报；</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>尚不能上报：错误 {e} 条，未说明的警告 {w} 条（含各期）；</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} 行未保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>放弃本页 {n} 行未保存的修改？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>月度调度（{p}）有 {n} 行未保存的修改，是否保存？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>错误，须改正</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>警告，须在“说明”列填写说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>提示</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>灰色斜体：按上月累计加本月自动算出。Enter下移，Tab右移，Ctrl+V粘贴Excel中复制的区域，Delete清空。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NarrativeDialog</name>
    <message>
        <source>发布通报</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发布{p}通报：编入本年下一期号，存档其数字和PDF，以后按原样重印；已发布过的期别再次发布即为更正，通报中写明更正了什么。只计已接收的数据。以下综述由数据生成，可修改后发布。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>红头按黑色印制（单位只有黑白打印机时）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发布</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OfficialTotalsTab</name>
    <message>
        <source>县统计局的产业数（1-本月累计，万元，按该产业所属领域的口径）。录入后，汇总、驾驶舱和通报对该产业采用统计局口径，并列出登记企业合计及其覆盖率；删除请把数值留空。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>录入…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>统计局口径</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OperatorPage</name>
    <message>
        <source>操作员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请输入您的姓名。每次修改数据时都会记录操作员，便于日后查询。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>填报人姓名，如：张三</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>以后可以在“设置”中修改操作员。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>签名密钥口令（可选）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不填则不设口令</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>再输入一次口令</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>两次输入的口令不一致。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本机数据库有自己的签名密钥，上报包用它签名。设了口令，每次导出上报包都要输入；口令遗忘后须重新生成密钥并到县里重新登记。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <source>{unit}（{role}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>在库企业（户）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>项目（个）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未解决问题（条）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>最近填报期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>得分构成</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>去月度调度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>去导入与审核</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>去上报</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>生成演示数据…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下一步（{p}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#b3261e&apos;&gt;县里退回了 {p} 的数据，理由：{r}&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（字段意见：{c}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>。请修改后重新导出该期的上报包。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本期还有企业 {e} 户、项目 {p} 个未填报：在“月度调度”中填写。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>须处理：错误 {e} 条、未说明的警告 {w} 条（含各期）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本期尚未填报。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>可以上报：到“上报”页导出本期上报包。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本期已填报，处理完上面各项后即可上报。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本期已上报，等待县里审核。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>县里已接收本期数据。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本期数据被县里退回。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本期在本单位启用期之前，无须填报。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未收到数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未收到上报包</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已上报、待审核</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已退回、待重报</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已接收</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what} {n} 个：{units}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没有需要填报的单位。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>比学赶超：尚未收到县里的排名（县里发来的下发包会带来本单位的名次）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{sentence}，得分 {score}。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{basis}；截至{day}。总分 = 各项得分之和 ÷ 适用项权重之和 × 100。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>暂无</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>另有已调出名录的企业 {n} 户。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{label}{n}（全县目标{target}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本单位对全县目标的贡献（{period}）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>逾期未办结的交办问题{n}条，请尽快办结。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <source>修改密钥口令</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>原口令：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新口令：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>再输入一次：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>两次输入的新口令不一致。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PdfPreview</name>
    <message>
        <source>打印…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>另存为PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>放大</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>缩小</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>适合宽度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在生成PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>第 {page} / {pages} 页</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>另存为PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF文件 (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保存：{name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在发送到打印机…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeriodDialog</name>
    <message>
        <source>打印通报</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>通报期别：</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeriodSelector</name>
    <message>
        <source>上一个月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下一个月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>填报期别（年-月），可直接输入，如2025-03</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PhotosPanel</name>
    <message>
        <source>每个项目最多保存{n}张现场照片（JPEG或PNG，每张不超过1MB，过大的自动缩小）。照片只保留拍摄日期和GPS位置，其他信息（相机、作者、缩略图等）一律去除；照片随上报包报送，调度表打印最近两张。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>添加照片…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改说明…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除照片</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查看大图</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存项目后即可添加照片。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>添加现场照片</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>照片说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>照片说明（如：主体工程施工现场）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>现场照片</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无拍摄日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无位置信息</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreviewPage</name>
    <message>
        <source>检查结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入(&amp;I)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在检查…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审核结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>将新增和修改的数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存检查报告(&amp;S)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在检查Excel文件…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查已取消，可以重新选择文件。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查未完成。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已忽略：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请按“审核结果”改正Excel文件（可保存检查报告，问题单元格已标色），然后重新选择文件。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存检查报告</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查报告已保存：{path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在保存检查报告…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProblemEditor</name>
    <message>
        <source>企业</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>项目</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>问题对象</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProblemsPage</name>
    <message>
        <source>开始办理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>办结…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProblemsPanel</name>
    <message>
        <source>问题交办：项目推进中的问题交责任单位限时办理，逾期的标红。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>提出问题（交办）…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProjectEditor</name>
    <message>
        <source>每年一行：该年度计划完成的投资（万元）。驾驶舱、汇总表和预警按所在年度的计划计算完成率。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>年度计划</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>问题交办</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>现场照片</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>状态记录：每个填报期一行，记该月调度时项目所处的阶段和达到该阶段的日期；项目当前状态取最近一期。停缓建、终止须写原因。状态变化时“添加”一行，录错的行可删除。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>状态记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>各阶段日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>计划与实际</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>预警（{p}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;span style=&apos;color:#555&apos;&gt;按已保存的数据和基础数据中的阈值判定。&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>状态流转：{flow}；项目停工或不再实施时为{halts}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>项目状态回退</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>项目状态将从“{old}”改回“{new}”。这通常是更正录入错误，确定吗？</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProjectsPage</name>
    <message>
        <source>打印项目调度表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记问题…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProjectsTab</name>
    <message>
        <source>项目推进</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>招商引资</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>双击一行，列出其中的项目</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>双击一行，列出该引资来源的签约项目。履约率、到位率的口径见汇总表“招商引资”表。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>预警类型：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>包而不推：开工、在建项目连续多月无投资、无状态进展；推而不快：本年完成投资低于年度计划按月均摊的一定比例，或计划开工后仍未开工；快而不优：投产后产值或税收低于达产预期。阈值由县级在基础数据“项目预警参数”中设定。双击预警打开该项目。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>截至{period}：项目 {n} 个（亿元级 {big} 个），总投资 {t} 万元；本期新开工 {new} 个；本年计划投资 {plan} 万元，本年累计完成 {ytd} 万元，完成率 {rate}。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;招商引资&lt;/b&gt;：本年签约 {sy} 个（{cy} 万元）；累计签约 {s} 个（{c} 万元），已开工 {st} 个；履约率 {f}（签约后{n}个月内开工 {k}/{d}）；到位资金 {fu} 万元，到位率 {fp}；先建后验 {b} 个。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>年度计划投资（灰）与本年累计完成（绿），万元</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>年度计划投资</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本年累计完成</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>预警（{p}）：{counts}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{label}：{name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>签约项目：{source}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RankingPage</name>
    <message>
        <source>比学赶超排名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>期别：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>含待审核</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>也计入已上报未审核和县级录入的数据（通报和下发包只按已接收的数据排名）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>刷新(F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇（县经开区）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>牵头部门</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>得分构成（选中一行查看）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{y}年{m}月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>口径：{period}期，截至{day}，{basis}。每项按其权重计分，不适用的项不计入，总分 = 各项得分之和 ÷ 适用项权重之和 × 100；得分相同的名次并列。权重在“基础数据 → 工程管理参数”中设定。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReadOnlyBanner</name>
    <message>
        <source>只读：数据库已损坏，请在“工具 → 备份与恢复”中恢复备份</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReadinessModel</name>
    <message>
        <source>错误</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未填报</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>预警</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>请选择或填写原因</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordEditor</name>
    <message>
        <source>新建{noun}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{noun}：{name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>该{noun}已{word}（原因：{reason}），只能查看；如需修改请先在列表中恢复。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据库以只读方式打开，只能查看，不能修改。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当前账号{account}只能查看这条记录。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当前账号{account}只能填写办理情况（{fields}），其他内容只能查看。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>历史记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存（Ctrl+S）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#b3261e&apos;&gt;{n} 处错误须改正后才能保存：{where}&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#8a5a00&apos;&gt;{n} 条警告保存时须填写说明&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>问题对象</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what}有未保存的修改，是否保存？</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReferenceDataPage</name>
    <message>
        <source>基础数据与目标任务</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>目标任务</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>统计局口径</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>通报版记</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>变更记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>各单位每月上报截止日：次月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>日</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存截止日</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>通报末尾的版记。修改后新生成和新发布的通报按此打印，已发布的通报不变；随基础数据下发。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>抄送(&amp;C)：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>印发单位(&amp;P)：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存版记</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>基础数据的每一处修改都记录在此（最近500条，最新的在前）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>基础数据版本：第 {v} 版（每次修改自动加1，随县级下发包发给各乡镇）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本年度目标有未保存的修改，要放弃这些修改吗？</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportPage</name>
    <message>
        <source>上报</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出前审核</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在审核…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>双击一项，跳到要修改的单元格或记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出上报包…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>应用县级下发包…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出密钥登记文件…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入县级身份文件…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>接续县里的记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>县里说缺少某号上报包、而该包已遗失时勾选：下一个上报包接续县里最后收到的那个。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重新审核</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上报期别</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>期别：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上报与下发记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>县级审核意见</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下发包与本单位修改的冲突</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>采用县级更正</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保留本单位的值</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>尚未导入县级身份文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{fp}（首次收包时记录，请导入县级身份文件核对）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{fp}（已核对）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本单位密钥指纹：{own}&#x3000;&#x3000;县级密钥指纹：{county}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（接续县里已收到的记录）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审核通过，可以导出第{n}号上报包（期别{period}）{joined}。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择县级身份文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入县级身份文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>县里</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>县级身份文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未导入。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>更换县级密钥</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>身份文件中的县级密钥与本机已记录的（指纹 {old}）不同。只有县里确认原密钥已作废时才能更换。确定更换吗？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已导入，县级密钥指纹：{fp}。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n}条错误</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n}条未说明的警告</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还有{what}，改正或填写说明后才能导出：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>和</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出上报包</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上报包已导出</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在导出上报包…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出密钥登记文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记文件已导出</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已导出到 {path}。
请把该文件交县里登记，并电话核对密钥指纹：{fp}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择县级下发包</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下发包已应用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在应用下发包…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message>
        <source>导入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在导入…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入未完成，没有写入任何数据。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReturnDialog</name>
    <message>
        <source>退回{unit}{period}的数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>必填，如：产值数据与上月差异较大，请核实</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退回理由：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>搜索企业或项目名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查找记录：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>对该字段的意见</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>添加字段意见</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>字段意见：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请填写退回理由：乡镇收到下发包后据此修改数据，没有理由不能退回。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RolePage</name>
    <message>
        <source>本机用途</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>欢迎使用{app}。请先选择这台电脑的用途。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇填报（乡镇、县经开区的填报员）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>县级汇总（县“百十亿”工程领导小组办公室）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>录入本单位的企业、项目、月度调度数据和问题，导出上报包报送县里。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入各单位的上报包，审核、汇总全县数据，维护基础数据和目标任务。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>先试用（演示数据）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>另建一个培训数据库并装入演示数据，与正式数据完全分开：窗口标题和状态栏标明“培训/演示”，打印件带水印，导出的Excel每页注明，数据包正式数据库不接收。熟悉后可随时建立正式数据库。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RuleCatalogueModel</name>
    <message>
        <source>编号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>对象</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>级别</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>涉及字段</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审核内容</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Saved</name>
    <message>
        <source>文件位置：{folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打开所在文件夹</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>设置</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本机</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用途：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>单位：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>服务器数据库：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登录账号：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打开所在文件夹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据库文件：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>改用本机数据库文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>连接服务器数据库…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下次启动：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据库标识：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>基础数据版本：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>操作员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>填报人姓名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存操作员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>每次修改数据都会记录操作员姓名。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>服务器数据库记录登录账号及使用人姓名，由管理员设定。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>签名密钥</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改密钥口令…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出私钥文件…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入私钥文件…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审核规则（强制性：必须改正；准强制性、核实性：须填写说明；提示性：仅提示）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已设定，重新启动程序后打开本机的数据库文件。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已设定，重新启动程序后打开：{target}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#b3261e&apos;&gt;操作员姓名不能为空。&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保存：以后的修改记录为“{name}”。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>县里要求口令至少{n}个字符</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>口令可不设</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>设有口令</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未设口令</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>指纹 {fp}，{state}（{policy}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本机的私钥文件：{path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本机还没有县级私钥文件（合并上报包、签发下发包时需要），请导入办公室的私钥文件；它将保存为：{path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已修改密钥口令。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出私钥文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>私钥文件 (*.pem)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>私钥未设口令，请务必妥善保管这个文件。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已导出私钥文件：{path}
请只交给需要合并、签发的办公室电脑导入，导入后删除副本。{warning}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入私钥文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>私钥文件 (*.pem);;所有文件 (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已导入县级私钥文件：{path}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>首次使用设置</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TargetsTab</name>
    <message>
        <source>目标按年度设定：全县和各领域的百亿级产业、十亿级企业、亿元级项目个数，以及各目标产业的年产值（亿元）。直接在“目标值”列输入，留空表示不设目标。某年度没有设定目标时，驾驶舱按最近一个较早年度的目标计算（都没有时按2025年规划目标）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>年度：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>从其他年度复制：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>复制到本年度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存目标(Ctrl+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>放弃修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{y}年{mark}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全县</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>有未保存的修改（黄色）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已设定 {n} 项</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <source>（此操作不能中途取消，请稍候。）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请稍候</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tile</name>
    <message>
        <source>1-本月累计 {a}&#x3000;预计全年 {b}&#x3000;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本月新开工 {n} {unit}&#x3000;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>点击查看明细</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>点击或按回车键，列出计入的{label}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnitPage</name>
    <message>
        <source>填报单位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请选择本机填报的单位。选定后，本机只录入该单位的数据。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnsavedChanges</name>
    <message>
        <source>未保存的修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>page_commands</name>
    <message>
        <source>本页没有可新建的内容。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本页没有需要保存的内容。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本页没有搜索框。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <source>保存Excel模板</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在生成Excel模板…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>把服务器数据库恢复到这份备份？
{backup}

当前的数据会先备份（类型“恢复前的原数据”），不会丢失；恢复后，这份备份之后录入的数据不在数据库中，其他正在使用的同事也会看到恢复后的数据。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>恢复备份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>把数据库恢复到这份备份？
{backup}

当前的数据库文件会先移到备份文件夹中保存（类型“恢复前的原数据”），不会丢失；恢复后，这份备份之后录入的数据不在当前数据库中。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>企业培育表 — 打印预览</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>亿元级项目调度表 — 打印预览</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>通报 — 打印预览</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入私钥文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>私钥文件的口令（没有设口令则留空）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>连接服务器数据库</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>服务器数据库地址（由县信息化管理员提供），如：
postgresql://zhangsan@county-server:5432/hengdong
（密码在每次启动时输入，不会保存）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>record_links</name>
    <message>
        <source>双击或按回车打开该记录</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <source>关于</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{app}
版本 {version}
数据库：{path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审核结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{counts}。
待处理 {open} 条：错误 {errors} 条，未说明的警告 {warnings} 条。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在审核…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下次启动时将打开正式数据库{name}（首次启动时进入设置向导）；培训数据库保留在原处。现在退出本程序吗？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结束试用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已恢复到 {time} 的备份。恢复前的数据已保存为：{previous}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（原来没有数据库文件）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在恢复备份…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打开其他数据库</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已打开数据库：{path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出汇总表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在导出汇总表…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出本单位数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在导出本单位数据…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{label}通报（已发布） — 打印预览</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在发布通报…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重印通报</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>尚未发布通报。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>期号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{label}通报 — 重印</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
