<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ConfirmPage</name>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="119"/>
        <source>确认</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="120"/>
        <source>请核对以下信息，点击“完成”后创建本机数据库。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="126"/>
        <source>数据保存在本机的用户数据目录中。填报单位创建后不能更改；如选错，请联系县级管理员。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="134"/>
        <source>用途：{role}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="135"/>
        <source>填报单位：{unit}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="135"/>
        <source>衡东县（县级）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="136"/>
        <source>操作员：{name}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnterpriseEditor</name>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="393"/>
        <source>一家企业可同时在多个培育名录中；调出某个名录时填写调出日期和原因。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="400"/>
        <source>添加…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="401"/>
        <source>修改…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="402"/>
        <source>删除（录入有误）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="409"/>
        <source>培育名录</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnterprisesPage</name>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="300"/>
        <source>打印培育表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="301"/>
        <source>登记问题…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExplainDialog</name>
    <message>
        <location filename="../../hengdong_desktop/ui/dialogs.py" line="99"/>
        <source>填写说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/dialogs.py" line="102"/>
        <source>以下审核警告需要填写说明后才能上报。说明会随数据一起报送县级。
暂时不清楚可以留空，先保存，之后在审核中补填。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/dialogs.py" line="113"/>
        <source>说明（至少{n}个字）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GridModel</name>
    <message>
        <location filename="../../hengdong_desktop/ui/grid.py" line="91"/>
        <source>企业名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/grid.py" line="91"/>
        <source>项目名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/grid.py" line="94"/>
        <source>所属单位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/grid.py" line="96"/>
        <source>总投资</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/grid.py" line="103"/>
        <source>说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/grid.py" line="195"/>
        <source>项目状态为“{s}”，本期可不填报</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/grid.py" line="197"/>
        <source>本行有未保存的修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/grid.py" line="200"/>
        <source>本行以下警告须填写说明（至少6个字为宜）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/grid.py" line="203"/>
        <source>本行没有需要说明的警告</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/grid.py" line="207"/>
        <source>按上月累计加本月自动填写，可直接修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/grid.py" line="210"/>
        <source>上月（{p}）：{v}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="298"/>
        <source>时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="298"/>
        <source>操作员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="299"/>
        <source>来源</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="299"/>
        <source>操作</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="300"/>
        <source>对象</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="300"/>
        <source>字段</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="301"/>
        <source>原值</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="301"/>
        <source>新值</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LibraryPage</name>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="70"/>
        <source>Ctrl+F 到这里；Esc 清空</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="142"/>
        <source>新建（Ctrl+N）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="143"/>
        <source>查看/修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="144"/>
        <source>{word}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="145"/>
        <source>恢复</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="198"/>
        <source>已显示 {m} {word}，正在统计总数…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="200"/>
        <source>共 {n} {word}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="202"/>
        <source>（已显示 {m}，向下滚动加载更多）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="246"/>
        <source>“{name}”将{word}，记录和历史数据都会保留，以后可以恢复。请填写原因：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="272"/>
        <source>请先在列表中选择要打印的记录（可按住Ctrl多选）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="292"/>
        <source>企业库</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="293"/>
        <source>户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="294"/>
        <source>搜索企业名称或信用代码中的任意几个字</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="295"/>
        <source>调出名录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="306"/>
        <source>项目库</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="307"/>
        <source>个</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="308"/>
        <source>搜索项目名称或项目编号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="309"/>
        <source>删除项目</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="320"/>
        <source>问题清单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="321"/>
        <source>条</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="322"/>
        <source>搜索问题描述或企业、项目名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="323"/>
        <source>删除问题</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ListingModel</name>
    <message>
        <location filename="../../hengdong_desktop/ui/listing_model.py" line="115"/>
        <source>此列不能排序</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../hengdong_desktop/ui/main_window.py" line="34"/>
        <source>{app} — {unit}（{role}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/main_window.py" line="102"/>
        <source>退出(&amp;X)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/main_window.py" line="118"/>
        <source>单位：{unit}（{role}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/main_window.py" line="121"/>
        <source>审核：计算中…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/main_window.py" line="128"/>
        <source>当前期别：{period}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/main_window.py" line="140"/>
        <source>审核：{n} 条待处理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/main_window.py" line="140"/>
        <source>审核：全部通过</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/main_window.py" line="143"/>
        <source>审核：无法计算</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/main_window.py" line="150"/>
        <source>生成演示数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/main_window.py" line="151"/>
        <source>数据库中还没有企业数据。是否生成一批演示数据，以便熟悉系统？
（正式填报前可新建数据库。）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/main_window.py" line="163"/>
        <source>正在生成演示数据…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MembershipDialog</name>
    <message>
        <location filename="../../hengdong_desktop/ui/dialogs.py" line="146"/>
        <source>培育名录</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MonthlyPage</name>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="100"/>
        <source>月度调度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="102"/>
        <source>期别：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="107"/>
        <source>全部单位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="113"/>
        <source>金额单位：万元</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="118"/>
        <source>保存（Ctrl+S）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="121"/>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="312"/>
        <source>放弃修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="132"/>
        <source>企业调度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="132"/>
        <source>项目调度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="150"/>
        <source>&lt;b&gt;本期完成情况&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="164"/>
        <source>按已保存的数据统计；双击一项跳到对应单元格。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="191"/>
        <source>正在读取 {p} 的数据…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="203"/>
        <source>企业调度（{n}户）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="204"/>
        <source>项目调度（{n}个）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="212"/>
        <source>{p}：数据已齐全，没有错误和未说明的警告，可以上报。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="215"/>
        <source>{p}：尚不能上报。错误 {e} 条，未说明的警告 {w} 条，未填报的企业 {me} 户、项目 {mp} 个（应填报企业 {ne} 户、已实施项目 {np} 个）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="273"/>
        <source>{n} 行未保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="286"/>
        <source>正在保存…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="311"/>
        <source>放弃本页 {n} 行未保存的修改？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="319"/>
        <source>月度调度（{p}）有 {n} 行未保存的修改，是否保存？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="339"/>
        <source>错误，须改正</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="339"/>
        <source>警告，须在“说明”列填写说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="340"/>
        <source>已说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="340"/>
        <source>提示</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="347"/>
        <source>灰色斜体：按上月累计加本月自动算出。Enter下移，Tab右移，Ctrl+V粘贴Excel中复制的区域，Delete清空。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OperatorPage</name>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="101"/>
        <source>操作员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="102"/>
        <source>请输入您的姓名。每次修改数据时都会记录操作员，便于日后查询。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="106"/>
        <source>填报人姓名，如：张三</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="109"/>
        <source>以后可以在“设置”中修改操作员。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/overview.py" line="19"/>
        <source>{unit}（{role}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/overview.py" line="26"/>
        <source>在库企业（户）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/overview.py" line="26"/>
        <source>项目（个）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/overview.py" line="27"/>
        <source>未解决问题（条）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/overview.py" line="27"/>
        <source>最近填报期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/overview.py" line="45"/>
        <source>生成演示数据…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/overview.py" line="60"/>
        <source>暂无</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/overview.py" line="62"/>
        <source>另有已调出名录的企业 {n} 户。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeriodSelector</name>
    <message>
        <location filename="../../hengdong_desktop/ui/widgets.py" line="54"/>
        <source>上一个月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/widgets.py" line="57"/>
        <source>下一个月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/widgets.py" line="63"/>
        <source>填报期别（年-月），可直接输入，如2025-03</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProblemEditor</name>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="508"/>
        <source>企业</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="509"/>
        <source>项目</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="528"/>
        <source>问题对象</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProblemsPage</name>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="328"/>
        <source>开始办理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="329"/>
        <source>办结…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProjectEditor</name>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="475"/>
        <source>状态流转：{flow}；如项目停工可改为{s}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="483"/>
        <source>项目状态回退</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="484"/>
        <source>项目状态将从“{old}”改回“{new}”。这通常是更正录入错误，确定吗？</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProjectsPage</name>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="314"/>
        <source>打印项目调度表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/library.py" line="315"/>
        <source>登记问题…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReadinessModel</name>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="54"/>
        <source>错误</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="55"/>
        <source>未说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="56"/>
        <source>未填报</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/monthly.py" line="77"/>
        <source>双击或按回车跳到该单元格</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../hengdong_desktop/ui/dialogs.py" line="75"/>
        <source>请选择或填写原因</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordEditor</name>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="69"/>
        <source>新建{noun}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="70"/>
        <source>{noun}：{name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="77"/>
        <source>该{noun}已{word}（原因：{reason}），只能查看；如需修改请先在列表中恢复。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="96"/>
        <source>历史记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="103"/>
        <source>保存（Ctrl+S）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="183"/>
        <source>&lt;span style=&apos;color:#b3261e&apos;&gt;{n} 处错误须改正后才能保存：{where}&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="186"/>
        <source>&lt;span style=&apos;color:#8a5a00&apos;&gt;{n} 条警告保存时须填写说明&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="199"/>
        <source>问题对象</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/editors.py" line="246"/>
        <source>{what}有未保存的修改，是否保存？</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RolePage</name>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="45"/>
        <source>本机用途</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="46"/>
        <source>欢迎使用{app}。请先选择这台电脑的用途。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="48"/>
        <source>乡镇填报（乡镇、县经开区的填报员）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="49"/>
        <source>县级汇总（县“百十亿”工程领导小组办公室）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="53"/>
        <source>录入本单位的企业、项目、月度调度数据和问题，导出上报包报送县里。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="54"/>
        <source>导入各单位的上报包，审核、汇总全县数据，维护基础数据和目标任务。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RuleCatalogueModel</name>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="38"/>
        <source>编号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="38"/>
        <source>对象</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="39"/>
        <source>级别</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="39"/>
        <source>涉及字段</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="40"/>
        <source>审核内容</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="71"/>
        <source>设置</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="73"/>
        <source>本机</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="75"/>
        <source>用途：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="76"/>
        <source>单位：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="79"/>
        <source>打开所在文件夹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="85"/>
        <source>数据库文件：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="88"/>
        <source>数据库标识：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="89"/>
        <source>基础数据版本：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="92"/>
        <source>操作员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="96"/>
        <source>填报人姓名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="97"/>
        <source>保存操作员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="100"/>
        <source>每次修改数据都会记录操作员姓名。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="106"/>
        <source>审核规则（强制性：必须改正；准强制性、核实性：须填写说明；提示性：仅提示）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="126"/>
        <source>&lt;span style=&apos;color:#b3261e&apos;&gt;操作员姓名不能为空。&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/pages/settings_page.py" line="134"/>
        <source>已保存：以后的修改记录为“{name}”。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="145"/>
        <source>首次使用设置</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <location filename="../../hengdong_desktop/ui/tasks.py" line="96"/>
        <source>请稍候</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnitPage</name>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="70"/>
        <source>填报单位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/setup_wizard.py" line="71"/>
        <source>请选择本机填报的单位。选定后，本机只录入该单位的数据。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnsavedChanges</name>
    <message>
        <location filename="../../hengdong_desktop/ui/dialogs.py" line="38"/>
        <source>未保存的修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/dialogs.py" line="40"/>
        <source>保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/dialogs.py" line="41"/>
        <source>不保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/dialogs.py" line="43"/>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>page_commands</name>
    <message>
        <location filename="../../hengdong_desktop/ui/page_commands.py" line="24"/>
        <source>本页没有可新建的内容。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/page_commands.py" line="28"/>
        <source>本页没有需要保存的内容。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/page_commands.py" line="32"/>
        <source>本页没有搜索框。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../../hengdong_desktop/ui/main_window.py" line="190"/>
        <source>关于</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/main_window.py" line="190"/>
        <source>{app}
版本 {version}
数据库：{path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/main_window.py" line="201"/>
        <source>审核结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/main_window.py" line="202"/>
        <source>{counts}。
待处理 {open} 条：错误 {errors} 条，未说明的警告 {warnings} 条。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../hengdong_desktop/ui/main_window.py" line="207"/>
        <source>正在审核…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
